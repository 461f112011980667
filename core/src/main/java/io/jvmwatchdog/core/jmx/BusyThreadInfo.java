package io.jvmwatchdog.core.jmx;

import java.util.List;
import javax.management.ConstructorParameters;

/**
 * A blind spot, as JMX clients see it: a thread that used a core steadily for a whole timeout outside
 * any unit the agent watches (composite data: no class of the agent needed).
 */
public final class BusyThreadInfo {
    private final String threadName;
    private final long threadId;
    private final int cpuPercent;
    private final long busyMillis;
    private final String suggestedEntry;
    private final List<String> topFrames;

    @ConstructorParameters({"threadName", "threadId", "cpuPercent", "busyMillis", "suggestedEntry", "topFrames"})
    public BusyThreadInfo(String threadName, long threadId, int cpuPercent, long busyMillis, String suggestedEntry,
                          List<String> topFrames) {
        this.threadName = threadName;
        this.threadId = threadId;
        this.cpuPercent = cpuPercent;
        this.busyMillis = busyMillis;
        this.suggestedEntry = suggestedEntry;
        this.topFrames = List.copyOf(topFrames);
    }

    public String getThreadName() {
        return threadName;
    }

    public long getThreadId() {
        return threadId;
    }

    /** CPU over the last timeout, in percent of one core. */
    public int getCpuPercent() {
        return cpuPercent;
    }

    public long getBusyMillis() {
        return busyMillis;
    }

    /** {@code Class#method} for {@code entry=} that would watch its work, or null. */
    public String getSuggestedEntry() {
        return suggestedEntry;
    }

    public List<String> getTopFrames() {
        return topFrames;
    }
}
