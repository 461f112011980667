package io.jvmwatchdog.it.apps;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.threads.EnhancedQueueExecutor;
import org.jboss.threads.ViewExecutor;

/**
 * JBoss Threads as WildFly and Quarkus use it: an {@code EnhancedQueueExecutor} of four workers, built
 * with its builder (the same API in the 2.x and 3.x lines, so this program runs on either), each task
 * of {@link PoolTasks} handed to it with {@code execute}.
 *
 * <p>With the argument {@code --views} (3.x only), tasks go through {@code ViewExecutor}s instead, a
 * view being a bounded share of another executor: the spinning task through a view of that pool, the
 * socket read through a view of an executor that starts a plain thread per task (threads no watched
 * pool runs), and short tasks alternately through both.
 */
public final class JbossThreadsApp {

    private JbossThreadsApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        EnhancedQueueExecutor pool = new EnhancedQueueExecutor.Builder()
                .setCorePoolSize(4)
                .setMaximumPoolSize(4)
                .build();
        if (args.length > 0 && args[0].equals("--starve")) {
            starve();
            return;
        }
        if (args.length > 0 && args[0].equals("--views")) {
            Views.serve(pool);
        } else {
            PoolTasks.serve(task -> pool.execute(() -> PoolTasks.run(task)));
        }
    }

    /**
     * A thread-starvation deadlock in a pool of two: each task submits a sub-task to its own pool and
     * waits for its result, which sits in the queue behind both.
     */
    private static void starve() throws Exception {
        EnhancedQueueExecutor pool = new EnhancedQueueExecutor.Builder().setCorePoolSize(2).setMaximumPoolSize(2).build();
        java.util.concurrent.CountDownLatch bothIn = new java.util.concurrent.CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                bothIn.countDown();
                try {
                    bothIn.await();
                    System.out.println("app: got " + pool.submit(() -> "done").get());
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        bothIn.await();
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Apart, so that the 2.x line, which has no views, never loads this code. */
    private static final class Views {
        static void serve(EnhancedQueueExecutor pool) throws Exception {
            ViewExecutor ofPool = ViewExecutor.builder(pool).setMaxSize(2).build();
            AtomicInteger plainThreads = new AtomicInteger();
            Executor threadPerTask = command -> new Thread(command, "plain-thread-" + plainThreads.incrementAndGet()).start();
            ViewExecutor ofThreads = ViewExecutor.builder(threadPerTask).setMaxSize(2).build();
            AtomicInteger shortTasks = new AtomicInteger();
            PoolTasks.serve(task -> {
                ViewExecutor view = switch (task) {
                    case PoolTasks.SPIN -> ofPool;
                    case PoolTasks.READ -> ofThreads;
                    default -> shortTasks.incrementAndGet() % 2 == 0 ? ofPool : ofThreads;
                };
                view.execute(() -> PoolTasks.run(task));
            });
        }
    }
}
