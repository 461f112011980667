package io.jvmwatchdog.it.apps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * For escalation: an executor task spins, checking its interrupt status, until it is interrupted;
 * it then prints "app: task interrupted" and spins again, now for good. Prints "app: ready".
 */
public final class EscalationApp {

    static volatile long sink;

    private EscalationApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sink++;
            }
            System.out.println("app: task interrupted");
            while (true) {
                sink++;
            }
        });
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
