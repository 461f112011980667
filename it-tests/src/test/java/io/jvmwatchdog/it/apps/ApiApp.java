package io.jvmwatchdog.it.apps;

import io.jvmwatchdog.api.Watchdog;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Uses the application API the way a user's program would (needs the watchdog-api jar on the class
 * path): signals readiness with {@link Watchdog#ready()}, keeps a pool task busy for the whole run
 * while calling {@link Watchdog#pet()} every 50 ms (long legitimate work: healthy), and parks a thread
 * for ever inside {@code Watchdog.section("nightly-import")} (stuck). Runs for the given milliseconds
 * (default 6000), then exits 0 by itself.
 */
public final class ApiApp {

    static volatile long sink;
    private static volatile boolean running = true;

    private ApiApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        long runMillis = args.length > 0 ? Long.parseLong(args[0]) : 6_000;
        Watchdog.ready();

        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(ApiApp::busyButPetting);
        // the busy task starts first, so it would be found no later than the section thread
        Thread.sleep(200);
        Thread section = new Thread(ApiApp::parkInSection, "section-worker");
        section.setDaemon(true);
        section.start();
        System.out.println("app: ready");

        Thread.sleep(runMillis);
        running = false;
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            System.out.println("app: pool did not terminate");
            System.exit(3);
        }
        System.out.println("app: done");
    }

    static void busyButPetting() {
        long x = 1;
        long lastPet = System.nanoTime();
        while (running) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            long now = System.nanoTime();
            if (now - lastPet > 50_000_000L) {
                Watchdog.pet();
                lastPet = now;
            }
        }
        sink = x;
    }

    @SuppressWarnings("try") // the section is only entered and left, as the API intends
    static void parkInSection() {
        try (Watchdog.Section s = Watchdog.section("nightly-import")) {
            while (true) {
                LockSupport.park(ApiApp.class);
            }
        }
    }
}
