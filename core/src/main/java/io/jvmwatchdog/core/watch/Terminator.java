package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.base.AgentThreads;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Ends the JVM for {@code action=panic}. Tests substitute one that records the call. */
@FunctionalInterface
public interface Terminator {
    void halt(int status);

    /**
     * How long a halt may take before the process is killed instead. A halt normally ends the JVM in
     * a few hundred milliseconds (310 ms here with 8 GB live on Java 25).
     */
    long HALT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * {@link Runtime#halt}: unlike {@code exit}, it runs no shutdown hooks, so a hook that never
     * returns (or a stuck thread holding what a hook needs) cannot keep a panicking JVM alive.
     *
     * <p>A halt still stops the collector's concurrent threads first, and on Java 17 G1 waits for a
     * concurrent marking cycle under way to finish: measured here, {@code halt} took 1.6 s with 4 GB of
     * live small objects and 11 s with 8 GB (Java 25: 0.3 s). So if the JVM has not ended
     * {@link #HALT_GRACE_NANOS} after the halt began, a daemon thread kills the process
     * ({@code kill -KILL <pid>}; its exit status is then 137, not 70). A JVM with no {@code kill}
     * command on its path waits for the halt.
     */
    static Terminator runtimeHalt() {
        return status -> {
            long pid = ProcessHandle.current().pid();
            AgentThreads.newThread("watchdog-halt-fallback", () -> {
                LockSupport.parkNanos(HALT_GRACE_NANOS);
                try {
                    new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
                } catch (IOException | RuntimeException e) {
                    // no kill command: the halt ends the JVM when it can
                }
            }).start();
            Runtime.getRuntime().halt(status);
        };
    }
}
