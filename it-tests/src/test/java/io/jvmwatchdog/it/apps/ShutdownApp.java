package io.jvmwatchdog.it.apps;

import java.util.concurrent.locks.LockSupport;

/**
 * Exits with status 3 after registering a shutdown hook named "app-hook": with "hang" the hook never
 * returns (a graceful shutdown stuck for good); with "clean" it returns at once.
 */
public final class ShutdownApp {

    private ShutdownApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean hang = args.length > 0 && args[0].equals("hang");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("app: hook running");
            while (hang) {
                LockSupport.park();
            }
        }, "app-hook"));
        Thread.sleep(1500); // the agent's start lines first
        System.out.println("app: exiting");
        System.exit(3);
    }
}
