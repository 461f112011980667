package io.jvmwatchdog.it;

import java.time.Duration;

/** Runs {@code java -jar watchdog.jar ...} on the children's JDK and returns status and output. */
public final class WatchdogCli {

    private WatchdogCli() {
    }

    public static JvmProcess.Result run(Duration timeout, String... args) {
        return JvmProcess.cli(args).run(timeout);
    }

    public static JvmProcess.Result run(String... args) {
        return run(Duration.ofSeconds(60), args);
    }
}
