package io.jvmwatchdog.it.apps;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A hand-made worker loop, of no pool the agent knows: a thread that takes jobs from a queue and runs
 * them. Three workers: one whose job spins for ever ({@code spin-worker}), one whose job waits on a
 * latch (an interruptible wait: healthy), one idle, waiting for work. With {@code --healthy}, no
 * spinning job at first: after four seconds of only healthy waits the idle worker is given one.
 */
public final class QueueWorkerApp {

    private static volatile long sink;

    private QueueWorkerApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean healthyOnly = args.length > 0 && args[0].equals("--healthy");
        CountDownLatch never = new CountDownLatch(1);
        if (!healthyOnly) {
            worker("spin-worker").put(QueueWorkerApp::spin);
        }
        worker("waiting-worker").put(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        BlockingQueue<Runnable> idle = worker("idle-worker");
        System.out.println("app: ready");
        if (healthyOnly) {
            Thread.sleep(4000);
            System.out.println("app: the idle worker spins now");
            idle.put(QueueWorkerApp::spin);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static BlockingQueue<Runnable> worker(String name) {
        BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    jobs.take().run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return jobs;
    }

    static void spin() {
        long x = 1;
        while (true) {
            x = x * 31 + 7;
            sink = x;
        }
    }
}
