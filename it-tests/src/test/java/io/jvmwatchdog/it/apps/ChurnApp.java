package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;

/**
 * Heavy churn of virtual threads (Java 21+; the API is reached reflectively, the tests are built for
 * 17): {@code RATE} short tasks a second, each on a virtual thread of its own (a virtual-thread-per-
 * task executor, so each passes the agent's task probe and gets a state), for {@code SECONDS}. Every
 * second it prints how many ran so far and how many watchdog states the heap holds, live or dead, as
 * a class histogram counts them (which collects first: an unlinked state is garbage and not counted):
 * {@code app: churn 200000 started, 4123 states}.
 *
 * <p>Usage: {@code ChurnApp RATE SECONDS [parked-task]}. With {@code parked-task}, a pool's task that
 * parks for good is started first (an agent installed in the background adopts it, and it never
 * makes the probe that would claim it), and the churn waits for a line on stdin ("app: waiting for
 * go" first).
 */
public final class ChurnApp {

    private ChurnApp() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        ExecutorService tasks = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        AtomicLong done = new AtomicLong();
        if (args.length > 2 && args[2].equals("parked-task")) {
            ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "parked-task");
                t.setDaemon(true);
                return t;
            });
            pool.execute(() -> {
                while (true) {
                    LockSupport.park();
                }
            });
            System.out.println("app: waiting for go");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("app: ready");
        long start = System.nanoTime();
        long started = 0;
        long nextReport = TimeUnit.SECONDS.toNanos(1);
        long end = TimeUnit.SECONDS.toNanos(seconds);
        for (long now = 0; now < end; now = System.nanoTime() - start) {
            long due = rate * now / 1_000_000_000L; // paced: as many as the rate allows by now
            for (; started < due; started++) {
                tasks.submit(done::incrementAndGet);
            }
            if (now >= nextReport) {
                System.out.println("app: churn " + started + " started, " + done.get() + " done, "
                        + watchdogStates() + " states");
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            Thread.sleep(1);
        }
        tasks.shutdown();
        tasks.awaitTermination(1, TimeUnit.MINUTES);
        System.out.println("app: churn over: " + started + " started, " + done.get() + " done, "
                + watchdogStates() + " states");
    }

    /** Instances of the agent's virtual-thread state in the heap, after a full collection. */
    private static long watchdogStates() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals("io.jvmwatchdog.boot.VirtualThreadState")) {
                return Long.parseLong(f[1]);
            }
        }
        return 0;
    }
}
