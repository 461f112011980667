package io.jvmwatchdog.bench;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The agent's memory per thread: what a thread's first probe allocates, counted in bytes by
 * HotSpot's per-thread allocation counter (exact, whatever the machine is doing). That is the
 * thread's registry state, and now and then a segment of the table threads find their states in
 * grown to a new array (the mean spreads that over the threads; the table's steady share, 8 to 16
 * bytes a thread, is in the class histogram of bench/virtual-threads.sh); a second probe must
 * allocate nothing. Two cases, which must cost the same since the agent uses no thread-local: a
 * thread that already has thread-locals, and a bare new thread, which a thread-local would have made
 * create its map.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.jvmwatchdog.bench.RegistryFootprint [threads]}
 */
public final class RegistryFootprint {

    private static final int TASK = Sites.register("bench.Worker.run", Blocking.NONE);
    private static final ThreadLocal<Object> OTHER = new ThreadLocal<>();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RegistryFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Probes.warmUp(); // the boot runtime's classes, loaded once per JVM, are not per-thread cost
        measure(8, true); // warm the measuring code itself
        long[] withMap = measure(threads, true);
        long[] bare = measure(threads, false);
        System.out.printf("threads measured: %d per case, JDK %s%n", threads, System.getProperty("java.version"));
        System.out.printf("first probe, thread with thread-locals already: median %d bytes, mean %.1f (min %d, max %d)%n",
                median(withMap), mean(withMap), withMap[0], withMap[withMap.length - 1]);
        System.out.printf("first probe, bare thread (no thread-local map): median %d bytes, mean %.1f (min %d, max %d)%n",
                median(bare), mean(bare), bare[0], bare[bare.length - 1]);
    }

    /** Bytes the first probe allocates on each of {@code count} fresh threads, sorted. */
    private static long[] measure(int count, boolean hasThreadLocals) throws InterruptedException {
        long[] bytes = new long[count];
        for (int i = 0; i < count; i++) {
            int slot = i;
            Thread t = new Thread(() -> {
                if (hasThreadLocals) {
                    OTHER.set(Boolean.TRUE);
                }
                long before = THREADS.getCurrentThreadAllocatedBytes();
                long counterCost = THREADS.getCurrentThreadAllocatedBytes() - before;
                before = THREADS.getCurrentThreadAllocatedBytes();
                Probes.exitTask(Probes.enterTask(TASK));
                long first = THREADS.getCurrentThreadAllocatedBytes() - before - counterCost;
                before = THREADS.getCurrentThreadAllocatedBytes();
                Probes.exitTask(Probes.enterTask(TASK));
                long second = THREADS.getCurrentThreadAllocatedBytes() - before - counterCost;
                bytes[slot] = second == 0 ? first : -1; // a second probe that allocates is a bug
            });
            t.start();
            t.join();
        }
        Arrays.sort(bytes);
        if (bytes[0] < 0) {
            throw new IllegalStateException("a second probe allocated: the hot path must not");
        }
        return bytes;
    }

    private static double mean(long[] values) {
        return java.util.Arrays.stream(values).average().orElse(0);
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }
}
