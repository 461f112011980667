package io.jvmwatchdog.core.jmx;

import javax.management.ConstructorParameters;

/** A thread the last pass judged, as JMX clients (and {@code watchdog.jar status}) see it. */
public final class WatchedThreadInfo {
    private final String thread;
    private final long threadId;
    private final boolean virtual;
    private final String state;
    private final long inStateMillis;
    private final String entry;
    private final String stuckReason;

    @ConstructorParameters({"thread", "threadId", "virtual", "state", "inStateMillis", "entry", "stuckReason"})
    public WatchedThreadInfo(String thread, long threadId, boolean virtual, String state, long inStateMillis,
                             String entry, String stuckReason) {
        this.thread = thread;
        this.threadId = threadId;
        this.virtual = virtual;
        this.state = state;
        this.inStateMillis = inStateMillis;
        this.entry = entry;
        this.stuckReason = stuckReason;
    }

    /** {@code "name" #id}, as reports say it. */
    public String getThread() {
        return thread;
    }

    public long getThreadId() {
        return threadId;
    }

    public boolean isVirtual() {
        return virtual;
    }

    /** The JVM state and what it means here: {@code RUNNABLE (running)}. */
    public String getState() {
        return state;
    }

    public long getInStateMillis() {
        return inStateMillis;
    }

    /** The unit's entry point, or null outside any unit. */
    public String getEntry() {
        return entry;
    }

    /** Why it is stuck ({@code no-progress}, ...), or null when it is not. */
    public String getStuckReason() {
        return stuckReason;
    }
}
