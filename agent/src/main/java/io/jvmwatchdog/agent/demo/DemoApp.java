package io.jvmwatchdog.agent.demo;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo program: a pool with a healthy consumer, a healthy poller and one task that spins without
 * making progress for a few seconds. Run under {@code timeout=2s}, the watchdog reports the spinning
 * task (and only it) after about two seconds, then reports it recovered once it stops.
 */
public final class DemoApp {

    private static volatile boolean spin = true;
    private static volatile long sink;

    private DemoApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(16);
        pool.execute(() -> consume(queue));
        pool.execute(DemoApp::poll);
        pool.execute(DemoApp::computeForever);
        System.out.println("demo: three tasks running; one of them is stuck in a loop");
        TimeUnit.MILLISECONDS.sleep(4_500);
        spin = false;
        System.out.println("demo: the stuck task was released");
        TimeUnit.MILLISECONDS.sleep(1_500);
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("demo: done");
    }

    private static void consume(BlockingQueue<String> queue) {
        try {
            while (true) {
                queue.take(); // waiting for work is healthy
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void poll() {
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(200); // a poller between checks is healthy
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void computeForever() {
        long x = 0;
        while (spin) {
            x += System.identityHashCode(Thread.currentThread()) ^ x; // no progress anyone could see
        }
        sink = x;
    }
}
