package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

/**
 * One executor task that spins without progress, for ever: the case the watchdog exists for.
 *
 * <p>Arguments, both optional:
 * <ul>
 *   <li>{@code --wait-for-go}: wait for a line "go" on stdin before submitting the task;</li>
 *   <li>{@code --pool-first}: with {@code --wait-for-go}, create the pool and start its worker
 *       threads before waiting, so that an agent attached meanwhile finds idle workers that entered
 *       their run loop before it came;</li>
 *   <li>{@code --fork-join}: spin in a task of a {@code new ForkJoinPool(2)} instead of a
 *       ThreadPoolExecutor task;</li>
 *   <li>{@code --completable-future}: spin in {@code CompletableFuture.runAsync} on its default
 *       executor (the common pool, or a thread per task where the common pool has parallelism 1);</li>
 *   <li>{@code --print-uptime}: print "app: main at N ms" (the JVM's uptime) when main begins;</li>
 *   <li>{@code --stoppable}: once ready, wait for a line "stop" on stdin, then let the task end (it
 *       returns, so the watchdog can see it recover) and print "app: stopped".</li>
 * </ul>
 *
 * <p>Prints "app: started" first thing, then "app: ready" once the task is submitted.
 */
public final class SpinningApp {

    static volatile long sink;
    private static volatile boolean stop;

    private SpinningApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        List<String> flags = Arrays.asList(args);
        if (flags.contains("--print-uptime")) {
            System.out.println("app: main at " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        if (flags.contains("--pool-first")) {
            pool.prestartAllCoreThreads();
        }
        if (flags.contains("--wait-for-go")) {
            System.out.println("app: waiting for go");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("go")) {
                // ignore anything else
            }
            if (line == null) {
                return; // stdin closed: the test is gone
            }
        }
        if (flags.contains("--fork-join")) {
            new ForkJoinPool(2).execute(SpinningApp::spinForever);
        } else if (flags.contains("--completable-future")) {
            CompletableFuture.runAsync(SpinningApp::spinForever);
        } else {
            pool.execute(SpinningApp::spinForever);
        }
        System.out.println("app: ready");
        if (flags.contains("--stoppable")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // ignore anything else
            }
            stop = true;
            System.out.println("app: stopped");
        }
        Thread.sleep(Long.MAX_VALUE); // main is outside any unit: never reported
    }

    static void spinForever() {
        long x = 1;
        while (!stop) {
            x = x * 6364136223846793005L + 1442695040888963407L; // busy, and nothing anyone could see
            if (x == 42) {
                sink = x;
            }
        }
        sink = x;
    }
}
