package io.jvmwatchdog.bench.load;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * A crowd of idle virtual threads for bench/virtual-threads.sh (Java 21+; built for 17, so the Java 21
 * API is reached reflectively): N tasks of a virtual-thread-per-task executor, each waiting on one of
 * 100 queues. Once all wait, prints the heap the crowd holds (in use after full collections, then
 * minus before the crowd, so what the JVM and an agent hold anyway cancels out), stays S seconds (the agent's
 * passes run meanwhile), then gives every task its item and exits when all have ended.
 *
 * <p>Usage: {@code VirtualCrowd N S [thread-local]}; with {@code thread-local}, each task first sets a
 * thread-local of its own, as an application with a logging or tracing context does: the thread then
 * has its thread-local map before any probe needs one.
 */
public final class VirtualCrowd {

    private static final ThreadLocal<Object> CONTEXT = new ThreadLocal<>();

    private VirtualCrowd() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long staySeconds = Long.parseLong(args[1]);
        boolean threadLocal = args.length > 2 && args[2].equals("thread-local");
        @SuppressWarnings("unchecked")
        BlockingQueue<Object>[] queues = new BlockingQueue[100];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ArrayBlockingQueue<>(count / queues.length + 1);
        }
        long before = heapAfterGc();
        CountDownLatch waiting = new CountDownLatch(count);
        ExecutorService tasks = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            BlockingQueue<Object> queue = queues[i % queues.length];
            tasks.submit(() -> {
                if (threadLocal) {
                    CONTEXT.set(Boolean.TRUE);
                }
                waiting.countDown();
                return queue.take();
            });
        }
        waiting.await();
        System.out.printf("crowd: %d virtual threads waiting after %d ms%n", count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        System.out.println("crowd-heap-bytes: " + (heapAfterGc() - before));
        // The heap as a whole moves by hundreds of bytes per virtual thread from run to run (stack
        // chunks); the classes the agent's state is made of are counted exactly.
        for (String line : classHistogram().split("\n")) {
            for (String type : COUNTED) {
                if (line.endsWith(" " + type) || line.endsWith(" " + type + " (java.base@" + Runtime.version() + ")")
                        || line.contains(" " + type + " ")) {
                    System.out.println("histogram: " + line.trim());
                }
            }
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(staySeconds));
        for (int i = 0; i < count; i++) {
            queues[i % queues.length].put(Boolean.TRUE);
        }
        tasks.shutdown();
        tasks.awaitTermination(5, TimeUnit.MINUTES);
        System.out.println("crowd: ended");
    }

    /** The classes a thread's watchdog state and its thread-local map are made of. */
    private static final String[] COUNTED = {"io.jvmwatchdog.boot.VirtualThreadState", "io.jvmwatchdog.boot.UnitDetails",
        "[Lio.jvmwatchdog.boot.ThreadState;",
        "java.lang.ThreadLocal$ThreadLocalMap", "java.lang.ThreadLocal$ThreadLocalMap$Entry",
        "[Ljava.lang.ThreadLocal$ThreadLocalMap$Entry;"};

    /** {@code jcmd <pid> GC.class_histogram}, from inside (it collects first). */
    private static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /** Heap in use after full collections: what the crowd holds is the difference before and after it. */
    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
