package io.jvmwatchdog.core.model;

/**
 * What a watched thread is doing, as the watchdog sees it (the JVM's {@link Thread.State} says what
 * the JVM thinks; {@link Offender} says what the watchdog concluded).
 */
public enum Activity {
    /** On CPU or runnable: executing code, or inside a native call the JVM reports as RUNNABLE (I/O). */
    RUNNING,
    /** Parked, sleeping or in {@code Object.wait}: an interruptible wait. */
    WAITING,
    /** Waiting to enter a monitor ({@code synchronized}). */
    BLOCKED;

    /** Maps the JVM's view; NEW and TERMINATED never reach the watchdog (the thread is not in a span). */
    public static Activity of(Thread.State state) {
        switch (state) {
            case BLOCKED:
                return BLOCKED;
            case WAITING:
            case TIMED_WAITING:
                return WAITING;
            default:
                return RUNNING;
        }
    }

    /** How a report says it: "running", "waiting", "blocked". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
