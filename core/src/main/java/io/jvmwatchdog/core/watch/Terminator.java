package io.jvmwatchdog.core.watch;

/** Ends the JVM for {@code action=panic}. Tests substitute one that records the call. */
@FunctionalInterface
public interface Terminator {
    void halt(int status);

    /**
     * {@link Runtime#halt}: unlike {@code exit}, it runs no shutdown hooks, so a hook that never
     * returns (or a stuck thread holding what a hook needs) cannot keep a panicking JVM alive.
     */
    static Terminator runtimeHalt() {
        return status -> Runtime.getRuntime().halt(status);
    }
}
