package io.jvmwatchdog.core.model;

/** Why the watchdog concluded a thread is stuck. */
public enum StuckReason {
    /** In an executor task or a budgeted unit, running with no transition past the timeout. */
    NO_PROGRESS("running with no progress"),
    /** In an executor task or a budgeted unit, in one uninterruptible wait past the timeout. */
    UNINTERRUPTIBLE_WAIT("in one uninterruptible wait"),
    /** Any thread: blocked entering the same monitor past the timeout. */
    MONITOR_BLOCKED("blocked entering a monitor"),
    /** Any thread: in the same non-interruptible lock acquisition past the timeout. */
    LOCK_WAIT("waiting to acquire a lock"),
    /**
     * In a budgeted unit (a request, an event-loop unit, an entry= method, an API section): in one
     * state past the timeout that the task rule would not catch, such as an interruptible wait.
     */
    BUDGET_EXCEEDED("in one state"),
    /**
     * Any virtual thread: waiting on its carrier instead of unmounting (pinned) past the timeout. A
     * handful of carriers run every virtual thread; each pinned one takes one away from all.
     */
    PINNED("pinned to its carrier"),
    /** Part of a deadlock cycle: reported as soon as it is seen, a cycle is proof. */
    DEADLOCK("deadlocked"),
    /**
     * A worker of a starved pool (a thread-starvation deadlock): every worker of its pool has waited
     * inside a job past the timeout while the pool's queue holds work that has not started, the work
     * they may well be waiting for. Each wait alone looks healthy.
     */
    POOL_STARVATION("waiting inside a job of a starved pool");

    private final String label;

    StuckReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The reason as the events file, JMX and JFR name it: {@code no-progress}, {@code lock-wait}, ... */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
