package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Signals to a child, as an operator's {@code kill} sends them. */
final class Signals {

    private Signals() {
    }

    /** {@code kill -<name> <pid>}, which must succeed. */
    static void send(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }

    /**
     * Stops the process ({@code SIGSTOP}) for {@code stopped}, then continues it, also when the wait
     * is interrupted: a test must never leave a stopped child behind. The wait is the scenario (how
     * long the JVM is stopped), not synchronisation.
     */
    static void stopFor(long pid, Duration stopped) throws IOException, InterruptedException {
        send("STOP", pid);
        try {
            TimeUnit.NANOSECONDS.sleep(stopped.toNanos());
        } finally {
            send("CONT", pid);
        }
    }
}
