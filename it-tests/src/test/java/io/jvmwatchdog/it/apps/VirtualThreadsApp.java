package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.ObjectName;

/**
 * Virtual threads (Java 21+), one scenario per run (the first argument). Built for Java 17 like the
 * agent, so the Java 21 API is reached reflectively. Prints "app: ready" once the scenario is set up.
 *
 * <ul>
 *   <li>{@code stuck}: among short-lived virtual threads (batches of 10,000 tasks that sleep a few
 *       milliseconds, run again and again), a task on virtual thread "vt-spinner" spins, and one on
 *       "vt-locker" waits in {@code lock()} for a lock the platform thread "lock-holder" keeps.</li>
 *   <li>{@code idle N}: N virtual-thread tasks wait on queues ("app: parked N"); a line "release" on
 *       stdin gives each an item, they end ("app: released"); a line "histogram" prints the class
 *       histogram of the agent's per-thread classes and the JDK's thread-local maps.</li>
 *   <li>{@code pinned}: a task on "vt-pinned" initialises a class whose initialiser parks for ever:
 *       it cannot unmount, so its carrier is blocked with it.</li>
 *   <li>{@code entry-and-monitor}: a virtual thread "vt-entry", started with {@code Thread.ofVirtual()},
 *       parks for ever in {@link EntryWork#handle} (for {@code entry=}); a task on "vt-monitor" is
 *       blocked entering a monitor the platform thread "monitor-holder" keeps.</li>
 * </ul>
 */
public final class VirtualThreadsApp {

    static volatile long sink;

    private VirtualThreadsApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        switch (args[0]) {
            case "stuck":
                stuck();
                break;
            case "idle":
                idle(Integer.parseInt(args[1]));
                return;
            case "pinned":
                perTask(named("vt-pinned")).submit(SlowInit::touch);
                break;
            case "entry-and-monitor":
                entryAndMonitor();
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void stuck() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            held.countDown();
            while (true) {
                LockSupport.park();
            }
        }, "lock-holder");
        holder.setDaemon(true);
        holder.start();
        held.await();
        perTask(named("vt-spinner")).submit(VirtualThreadsApp::spin);
        perTask(named("vt-locker")).submit(lock::lock);
        Thread churn = new Thread(VirtualThreadsApp::churn, "churn");
        churn.setDaemon(true);
        churn.start();
        CHURNED.await();
        System.out.println("app: churned 10000 virtual threads");
    }

    private static final Object MONITOR = new Object();

    private static void entryAndMonitor() throws Exception {
        named("vt-entry").newThread(EntryWork::handle).start();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (MONITOR) {
                held.countDown();
                while (true) {
                    LockSupport.park();
                }
            }
        }, "monitor-holder");
        holder.setDaemon(true);
        holder.start();
        held.await();
        perTask(named("vt-monitor")).submit(() -> {
            synchronized (MONITOR) {
                sink++;
            }
        });
    }

    /** An entry point named by entry=: any one state past the timeout is stuck, a park included. */
    public static final class EntryWork {
        private EntryWork() {
        }

        public static void handle() {
            while (true) {
                LockSupport.park();
            }
        }
    }

    private static final CountDownLatch CHURNED = new CountDownLatch(1);

    private static void spin() {
        long x = 0;
        while (true) {
            x++;
            sink = x;
        }
    }

    /** Batch after batch of 10,000 short-lived virtual threads, until the JVM ends. */
    private static void churn() {
        try {
            while (true) {
                ExecutorService batch = virtualPerTask();
                for (int i = 0; i < 10_000; i++) {
                    batch.submit(() -> {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 20));
                        return null;
                    });
                }
                batch.shutdown();
                batch.awaitTermination(1, TimeUnit.MINUTES);
                CHURNED.countDown();
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private static void idle(int count) throws Exception {
        BlockingQueue<Object>[] queues = newQueues(100, count);
        CountDownLatch parked = new CountDownLatch(count);
        ExecutorService tasks = virtualPerTask();
        for (int i = 0; i < count; i++) {
            BlockingQueue<Object> queue = queues[i % queues.length];
            tasks.submit(() -> {
                parked.countDown();
                return queue.take();
            });
        }
        parked.await();
        System.out.println("app: parked " + count);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); !"release".equals(line); line = in.readLine()) {
            if ("histogram".equals(line)) {
                printHistogram();
            }
        }
        for (int i = 0; i < count; i++) {
            queues[i % queues.length].put(Boolean.TRUE);
        }
        tasks.shutdown();
        tasks.awaitTermination(1, TimeUnit.MINUTES);
        System.out.println("app: released");
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * The class histogram's lines ("app: histogram <instances> <bytes> <class>") of the classes the
     * agent's per-thread state and the JDK's thread-local maps are made of; jcmd's GC.class_histogram,
     * from inside (it collects first).
     */
    private static void printHistogram() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] fields = line.trim().split("\\s+"); // "num: instances bytes class [(module)]"
            if (fields.length >= 4 && (fields[3].startsWith("io.jvmwatchdog.boot.")
                    || fields[3].startsWith("[Lio.jvmwatchdog.boot.") || fields[3].startsWith("java.lang.ThreadLocal$"))) {
                System.out.println("app: histogram " + fields[1] + " " + fields[2] + " " + fields[3]);
            }
        }
        System.out.println("app: histogram end");
    }

    @SuppressWarnings("unchecked")
    private static BlockingQueue<Object>[] newQueues(int n, int count) {
        BlockingQueue<Object>[] queues = new BlockingQueue[n];
        for (int i = 0; i < n; i++) {
            queues[i] = new ArrayBlockingQueue<>(count / n + 1);
        }
        return queues;
    }

    /** Its initialiser never ends: a virtual thread running it cannot unmount (a VM frame pins it). */
    static final class SlowInit {
        static volatile boolean done;

        static {
            while (!done) {
                LockSupport.park();
            }
        }

        static void touch() {
        }
    }

    // Java 21 API, by reflection (this class is compiled for Java 17).

    private static ThreadFactory named(String name) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        builder = builderType.getMethod("name", String.class).invoke(builder, name);
        return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    }

    private static ExecutorService perTask(ThreadFactory factory) throws Exception {
        return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                .invoke(null, factory);
    }

    private static ExecutorService virtualPerTask() throws Exception {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
