package io.jvmwatchdog.core.jmx;

import javax.management.ConstructorParameters;

/** One stuck thread, as JMX clients see it (composite data: no class of the agent needed). */
public final class OffenderInfo {
    private final String threadName;
    private final long threadId;
    private final boolean virtual;
    private final String state;
    private final String reason;
    private final long stuckMillis;
    private final String entry;
    private final String waitsOn;
    private final String starvedPool;

    @ConstructorParameters({"threadName", "threadId", "virtual", "state", "reason", "stuckMillis", "entry", "waitsOn",
            "starvedPool"})
    public OffenderInfo(String threadName, long threadId, boolean virtual, String state, String reason,
                        long stuckMillis, String entry, String waitsOn, String starvedPool) {
        this.threadName = threadName;
        this.threadId = threadId;
        this.virtual = virtual;
        this.state = state;
        this.reason = reason;
        this.stuckMillis = stuckMillis;
        this.entry = entry;
        this.waitsOn = waitsOn;
        this.starvedPool = starvedPool;
    }

    public String getThreadName() {
        return threadName;
    }

    public long getThreadId() {
        return threadId;
    }

    public boolean isVirtual() {
        return virtual;
    }

    public String getState() {
        return state;
    }

    /** {@code no-progress}, {@code uninterruptible-wait}, ... as in the events file. */
    public String getReason() {
        return reason;
    }

    public long getStuckMillis() {
        return stuckMillis;
    }

    public String getEntry() {
        return entry;
    }

    public String getWaitsOn() {
        return waitsOn;
    }

    /** For {@code pool-starvation}: the pool, its workers and its queued tasks, as the report says them; else null. */
    public String getStarvedPool() {
        return starvedPool;
    }
}
