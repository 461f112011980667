package io.jvmwatchdog.it.apps;

/**
 * A hand-made thread busy for ever outside any unit the agent knows: a blind spot, which the status
 * shows, with the {@code entry=} that would watch it.
 */
public final class BusyLoopApp {

    private static volatile long sink;

    private BusyLoopApp() {
    }

    public static void main(String[] args) throws Exception {
        Thread crunch = new Thread(BusyLoopApp::crunch, "crunch");
        crunch.setDaemon(true);
        crunch.start();
        System.out.println("app: ready");
        crunch.join();
    }

    static void crunch() {
        long x = 0;
        while (true) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            sink = x;
        }
    }
}
