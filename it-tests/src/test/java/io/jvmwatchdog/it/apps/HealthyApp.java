package io.jvmwatchdog.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Busy in every healthy way: idle pool workers, a poller that sleeps 100 ms between small bits of
 * work, a consumer blocked in {@code take()} on an empty queue and a periodic scheduled task. Runs
 * for the given milliseconds (argument, default 6000), then shuts down and exits 0 by itself.
 */
public final class HealthyApp {

    static volatile long sink;
    private static volatile boolean running = true;

    private HealthyApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        long runMillis = args.length > 0 ? Long.parseLong(args[0]) : 6_000;

        ExecutorService pool = Executors.newFixedThreadPool(4);
        // two short tasks first: their workers stay alive, idle in getTask(), once the tasks are done
        CountDownLatch warmedUp = new CountDownLatch(2);
        pool.execute(warmedUp::countDown);
        pool.execute(warmedUp::countDown);
        warmedUp.await();

        BlockingQueue<String> empty = new ArrayBlockingQueue<>(1);
        pool.execute(() -> consume(empty));
        pool.execute(HealthyApp::poll);

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        scheduler.scheduleAtFixedRate(HealthyApp::littleWork, 0, 200, TimeUnit.MILLISECONDS);
        System.out.println("app: ready");

        Thread.sleep(runMillis);

        running = false;
        scheduler.shutdownNow();
        pool.shutdownNow();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS) || !scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            System.out.println("app: pools did not terminate");
            System.exit(3);
        }
        System.out.println("app: done");
    }

    static void consume(BlockingQueue<String> queue) {
        try {
            while (true) {
                sink += queue.take().length(); // nothing ever comes: blocked in take()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void poll() {
        try {
            while (running) {
                littleWork();
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void littleWork() {
        long x = sink;
        for (int i = 0; i < 10_000; i++) {
            x = x * 31 + i;
        }
        sink = x;
    }
}
