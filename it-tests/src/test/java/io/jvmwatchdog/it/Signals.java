package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
}
