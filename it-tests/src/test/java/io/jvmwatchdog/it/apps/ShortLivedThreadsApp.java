package io.jvmwatchdog.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and finishes many short-lived threads, each running a few watched tasks
 * ({@code CompletableFuture.runAsync} on the calling thread: a task unit), and prints the heap in use
 * after full GCs before and after: {@code app: heap before=<bytes> after=<bytes> threads=<n>}.
 *
 * <p>{@code args[0]}: how many threads after the warm-up. Before each measurement the program gives
 * the watchdog a second (several passes at the period the test sets) to unlink the states of dead
 * threads, between two full GCs: the first clears the weak references to the dead threads, the
 * passes unlink their states, the second collects them. That wait is part of the scenario.
 */
public final class ShortLivedThreadsApp {

    private static final int TASKS_PER_THREAD = 3;
    private static volatile long sink;

    private ShortLivedThreadsApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        runThreads(10_000); // warm-up: classes loaded, code compiled, pools sized
        long before = settledHeap();
        long started = System.nanoTime();
        runThreads(threads);
        long tookNanos = System.nanoTime() - started;
        long after = settledHeap();
        System.out.println("app: heap before=" + before + " after=" + after + " threads=" + threads
                + " nanos=" + tookNanos);
    }

    private static void runThreads(int count) throws InterruptedException {
        Thread[] batch = new Thread[4];
        for (int i = 0; i < count; i += batch.length) {
            for (int j = 0; j < batch.length; j++) {
                batch[j] = new Thread(ShortLivedThreadsApp::work);
                batch[j].start();
            }
            for (Thread t : batch) {
                t.join();
            }
        }
    }

    private static void work() {
        for (int i = 0; i < TASKS_PER_THREAD; i++) {
            CompletableFuture.runAsync(() -> sink += System.identityHashCode(Thread.currentThread()), Runnable::run).join();
        }
    }

    private static long settledHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        Thread.sleep(1000); // the watchdog's passes unlink dead threads' states (see the class comment)
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
