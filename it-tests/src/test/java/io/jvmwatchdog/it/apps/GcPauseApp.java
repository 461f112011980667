package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Long stop-the-world collections beside healthy executor tasks; meant for {@code -XX:+UseSerialGC}
 * and a heap of a few GB. Arguments: {@code <nodes> <collections> <gap> [idle threads] [chunk ms]}:
 * <ul>
 *   <li>how many linked nodes to keep live (40 million make about 0.9 GB, whose full collection takes
 *       a second or more);</li>
 *   <li>how many {@code System.gc()} calls;</li>
 *   <li>the milliseconds between two of them (0: back to back, as in a JVM thrashing in GC), or
 *       {@code aligned}: each collection starts {@value #ALIGN_AFTER_PASS_MILLIS} ms after the
 *       watchdog's sampler thread ended a pass (it watches that thread's waited count through
 *       ThreadMXBean), the collecting task running with no transition from before that pass until
 *       {@value #SPIN_AFTER_PAUSE_MILLIS} ms after the pause, past the first pass that follows it
 *       (see {@link #awaitTwoPassEnds()});</li>
 *   <li>how many extra threads to park for the whole run (default 0; outside any unit, they only make
 *       each of the watchdog's passes longer, as in a big server);</li>
 *   <li>how long each stretch of the busy task's computation lasts (default 3 ms).</li>
 * </ul>
 *
 * <p>Threads:
 * <ul>
 *   <li>"busy-task": healthy and mostly running — a chunk of computation (shorter than the timeout),
 *       then a 1 ms sleep (a transition), for the whole run;</li>
 *   <li>"waiting-task": blocked in {@code take()} on an empty queue, for the whole run;</li>
 *   <li>main builds the live graph (outside any unit: the time that takes is nobody's stuck time, and
 *       the young collections it may cause are pauses too), then "gc-task" calls {@code System.gc()}
 *       the given number of times: this executor task is RUNNABLE for the whole of each pause;</li>
 *   <li>then "app: gcs done"; on a line "spin" on stdin, "stuck-task" spins with no progress until a
 *       line "stop", after which everything ends and the program exits 0 with "app: done".</li>
 * </ul>
 */
public final class GcPauseApp {

    static volatile long sink;
    private static volatile boolean running = true;
    private static volatile boolean spinning = true;
    /** The live graph: reachable until the end, so every full collection has to mark and move it. */
    static volatile Node graph;
    private static final AtomicLong busyTicks = new AtomicLong();
    private static volatile long chunkMillis = 3;

    static final class Node {
        final Node next;
        Object payload;

        Node(Node next) {
            this.next = next;
        }
    }

    private GcPauseApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        long nodes = Long.parseLong(args[0]);
        int gcs = Integer.parseInt(args[1]);
        boolean aligned = args[2].equals("aligned");
        long gapMillis = aligned ? 0 : Long.parseLong(args[2]);
        int idleThreads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        chunkMillis = args.length > 4 ? Long.parseLong(args[4]) : 3;
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < idleThreads; i++) {
            Thread idle = new Thread(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "idle-" + i);
            idle.setDaemon(true);
            idle.start();
        }

        ExecutorService busy = named("busy-task");
        ExecutorService waiting = named("waiting-task");
        ExecutorService gc = named("gc-task");
        ExecutorService stuck = named("stuck-task");
        busy.execute(GcPauseApp::busyWork);
        BlockingQueue<String> empty = new ArrayBlockingQueue<>(1);
        waiting.execute(() -> HealthyApp.consume(empty));
        System.out.println("app: ready");

        long t = System.nanoTime();
        Node head = null;
        for (long i = 0; i < nodes; i++) {
            head = new Node(head);
        }
        graph = head;
        System.out.println("app: built " + nodes + " nodes in " + millisSince(t) + " ms");

        long ticksBefore = busyTicks.get();
        Future<?> collections = gc.submit(() -> {
            for (int i = 0; i < gcs; i++) {
                String waited = "";
                if (aligned) {
                    // Running, no transition, from before a pass until after the next one: every pass
                    // in between sees this thread in one state, the pause included.
                    long w = System.nanoTime();
                    awaitTwoPassEnds();
                    waited = " (after waiting " + millisSince(w) + " ms for two passes to end)";
                    spinFor(ALIGN_AFTER_PASS_MILLIS);
                }
                long start = System.nanoTime();
                System.gc();
                long took = millisSince(start);
                if (aligned) {
                    spinFor(SPIN_AFTER_PAUSE_MILLIS);
                }
                System.out.println("app: System.gc() " + (i + 1) + " took " + took + " ms" + waited);
                if (gapMillis > 0 && i + 1 < gcs) {
                    sleep(gapMillis); // part of the scenario: how far apart the pauses are
                }
            }
        });
        try {
            collections.get();
        } catch (ExecutionException e) {
            System.out.println("app: the collections failed: " + e.getCause());
            System.exit(5);
        }
        System.out.println("app: gcs done, busy-task ticked " + (busyTicks.get() - ticksBefore) + " times meanwhile");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!awaitLine(in, "spin")) {
            return;
        }
        stuck.execute(GcPauseApp::spin);
        System.out.println("app: spinning");
        if (!awaitLine(in, "stop")) {
            return;
        }
        spinning = false;
        running = false;
        for (ExecutorService pool : new ExecutorService[] {busy, waiting, gc, stuck}) {
            pool.shutdownNow();
        }
        for (ExecutorService pool : new ExecutorService[] {busy, waiting, gc, stuck}) {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                System.out.println("app: pools did not terminate");
                System.exit(3);
            }
        }
        sink += graph == null ? 0 : 1;
        System.out.println("app: done, busy-task ticked " + busyTicks.get() + " times");
    }

    /**
     * How long after a pass a collection starts, in aligned mode: a pass takes a few ms, and the next
     * one comes a period (a quarter of the timeout) after the start of the last.
     */
    static final long ALIGN_AFTER_PASS_MILLIS = 40;
    /** How long the collecting task stays running after the pause, in aligned mode: past the first pass. */
    static final long SPIN_AFTER_PAUSE_MILLIS = 150;

    /**
     * Waits until the watchdog's sampler thread has gone back to waiting for work twice: each time, a
     * pass has just sampled every thread. Until the first, it sleeps between looks (transitions: this
     * thread is seen to make progress); from the first to the second it computes (no transition), so
     * the second pass sees this thread in the state it will be in when the collection starts. That
     * keeps the stretch with no transition short: a pass, the {@value #ALIGN_AFTER_PASS_MILLIS} ms after
     * it, the pause (discounted), {@value #SPIN_AFTER_PAUSE_MILLIS} ms; well under the timeout even
     * when this thread waits a while for a core.
     */
    static void awaitTwoPassEnds() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // The agent's loop may start after main has got this far (the default launch installs it
        // beside main): look for its sampler until a deadline.
        long sampler = -1;
        long startDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sampler < 0) {
            for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
                if (info != null && info.getThreadName().equals(SAMPLER_THREAD)) {
                    sampler = info.getThreadId();
                }
            }
            if (sampler < 0 && System.nanoTime() > startDeadline) {
                throw new IllegalStateException("no thread named " + SAMPLER_THREAD + ": is the agent there?");
            }
            if (sampler < 0) {
                sleep(10);
            }
        }
        long seen = mx.getThreadInfo(sampler).getWaitedCount();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int ended = 0;
        while (ended < 2) {
            if (ended == 0) {
                sleep(1);
            } else {
                spinFor(0, 200_000); // 0.2 ms between looks
            }
            long now = mx.getThreadInfo(sampler).getWaitedCount();
            if (now != seen) {
                seen = now;
                ended++;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the watchdog's sampler did not run a pass in 10 s");
            }
        }
    }

    /** The agent's thread that samples the threads for each pass, parked between passes. */
    static final String SAMPLER_THREAD = "watchdog-sampler";

    static void spinFor(long millis) {
        spinFor(millis, 0);
    }

    /** Computes, with no transition, for the given time. */
    static void spinFor(long millis, long extraNanos) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) + extraNanos;
        long x = sink;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 100; i++) {
                x = x * 31 + i;
            }
        }
        sink = x;
    }

    private static ExecutorService named(String name) {
        return Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    private static boolean awaitLine(BufferedReader in, String word) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals(word)) {
                return true;
            }
        }
        return false; // stdin closed: the test is gone
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Healthy, and running most of the time: a chunk of work, then a short sleep (progress). */
    static void busyWork() {
        while (running && !Thread.currentThread().isInterrupted()) {
            long x = sink;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(chunkMillis);
            while (System.nanoTime() < until) {
                for (int i = 0; i < 1_000; i++) {
                    x = x * 31 + i;
                }
            }
            sink = x;
            busyTicks.incrementAndGet();
            sleep(1);
        }
    }

    static void spin() {
        long x = 1;
        while (spinning) {
            x = x * 6364136223846793005L + 1442695040888963407L; // busy, and nothing anyone could see
            if (x == 42) {
                sink = x;
            }
        }
        sink = x;
    }
}
