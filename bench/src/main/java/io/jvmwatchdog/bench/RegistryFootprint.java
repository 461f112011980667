package io.jvmwatchdog.bench;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The agent's memory per thread: what a thread's first probe allocates, counted in bytes by
 * HotSpot's per-thread allocation counter (exact, whatever the machine is doing). That is the
 * thread's registry state plus its thread-local entry; a second probe must allocate nothing. Two
 * cases: a thread that already has thread-locals (most threads of a real application: the JDK itself
 * sets some), and a bare new thread, whose first thread-local also creates its map.
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
        System.out.printf("first probe, thread with thread-locals already: median %d bytes (min %d, max %d)%n",
                median(withMap), withMap[0], withMap[withMap.length - 1]);
        System.out.printf("first probe, bare thread (its thread-local map is made too): median %d bytes (min %d, max %d)%n",
                median(bare), bare[0], bare[bare.length - 1]);
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

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }
}
