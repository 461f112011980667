package io.jvmwatchdog.core.model;

/**
 * What a thread is doing, as the watchdog sees it: the JVM's {@link Thread.State} combined with the
 * blocking call the instrumentation marked. ({@link Thread.State} is what the JVM says;
 * {@link StuckReason} is what the watchdog concluded.)
 */
public enum Activity {
    /** Executing code: RUNNABLE and inside no marked blocking call. */
    RUNNING("running"),
    /** Inside a call that is a hang if it lasts: socket or file I/O, DNS, lock(), Process.waitFor. */
    UNINTERRUPTIBLE_WAIT("in an uninterruptible wait"),
    /** Waiting to enter a monitor ({@code synchronized}): JVM state BLOCKED. */
    MONITOR_BLOCKED("blocked on a monitor"),
    /** Parked, sleeping, in Object.wait, or idle in select/accept/receive: a healthy wait. */
    INTERRUPTIBLE_WAIT("waiting");

    private final String label;

    Activity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The marked blocking call decides when there is one; otherwise the JVM's state. */
    public static Activity of(Thread.State state, WaitKind wait) {
        if (state == Thread.State.BLOCKED) {
            return MONITOR_BLOCKED;
        }
        if (wait != null) {
            return wait.interruptible() ? INTERRUPTIBLE_WAIT : UNINTERRUPTIBLE_WAIT;
        }
        switch (state) {
            case WAITING:
            case TIMED_WAITING:
                return INTERRUPTIBLE_WAIT;
            default:
                return RUNNING;
        }
    }
}
