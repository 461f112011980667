package io.jvmwatchdog.it.apps;

import com.example.itapps.Startup;

/**
 * Startup that signals readiness through {@link Startup#ready()} (configured as
 * {@code ready=com.example.itapps.Startup#ready}).
 *
 * <p>Arguments: {@code <readyAfterMillis|never> <totalRunMillis|forever>}. Calls {@link Startup#ready()}
 * after the delay (or never), then lives until the total run time has passed and exits 0.
 */
public final class ReadinessApp {

    private ReadinessApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        long start = System.nanoTime();
        String readyAfter = args.length > 0 ? args[0] : "500";
        String total = args.length > 1 ? args[1] : "forever";
        if (!readyAfter.equals("never")) {
            Thread.sleep(Long.parseLong(readyAfter));
            Startup.ready();
            System.out.println("app: ready");
        } else {
            System.out.println("app: will never be ready");
        }
        if (total.equals("forever")) {
            Thread.sleep(Long.MAX_VALUE);
        }
        long leftMillis = Long.parseLong(total) - (System.nanoTime() - start) / 1_000_000;
        if (leftMillis > 0) {
            Thread.sleep(leftMillis);
        }
        System.out.println("app: done");
    }
}
