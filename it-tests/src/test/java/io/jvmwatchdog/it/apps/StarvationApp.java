package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * A fixed pool of two workers in a thread-starvation deadlock: each job submits a sub-job to its own
 * pool and waits for its result, so both workers wait while the sub-jobs sit in the queue behind them.
 * Each wait alone is an ordinary, interruptible {@code Future.get()}.
 *
 * <p>With the argument {@code --waiting}, the two jobs wait on a latch that never opens instead, and
 * nothing is queued: workers waiting inside jobs, but no starvation, until the line {@code queue} on
 * stdin queues a task behind them ("app: queued"). With {@code --fork-join}, the
 * same deadlock in a {@code ForkJoinPool} of two: each task forks a sub-task and waits on a latch
 * that sub-task would open (a wait the pool cannot see, so it adds no spare worker).
 */
public final class StarvationApp {

    private StarvationApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--fork-join")) {
            forkJoin();
            return;
        }
        boolean justWaiting = args.length > 0 && args[0].equals("--waiting");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch bothIn = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                bothIn.countDown();
                try {
                    if (justWaiting) {
                        never.await();
                    } else {
                        bothIn.await(); // both workers busy before either queues its sub-job
                        Future<String> sub = pool.submit(() -> "done");
                        System.out.println("app: waiting for " + sub.get());
                    }
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        bothIn.await();
        System.out.println("app: ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.trim().equals("queue")) {
                pool.execute(() -> System.out.println("app: the queued task ran"));
                System.out.println("app: queued");
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void forkJoin() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        CountDownLatch bothIn = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                bothIn.countDown();
                CountDownLatch subDone = new CountDownLatch(1);
                try {
                    bothIn.await();
                    pool.execute(subDone::countDown); // queued in this worker's own queue, behind it
                    subDone.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        bothIn.await();
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
