package io.jvmwatchdog.it.apps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A spinning task plus a shutdown hook that never returns: {@code action=panic} must still end the JVM
 * (by halting, which runs no hooks). If the hook ever starts it says so on stdout.
 */
public final class PanicApp {

    private PanicApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("app: shutdown hook started");
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep blocking the shutdown
                }
            }
        }, "never-returning-hook"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(SpinningApp::spinForever);
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
