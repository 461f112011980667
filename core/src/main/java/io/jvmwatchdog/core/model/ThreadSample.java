package io.jvmwatchdog.core.model;

/**
 * One watched thread as one pass saw it: what the instrumentation recorded plus what the JVM reports.
 * The progress signature is {@code (transitions, jvmState, blockedCount, waitedCount)}: any change in
 * it between passes is progress, which is how waits the advice cannot see (native sleep and wait on
 * Java 17) still count as transitions.
 *
 * @param transitions the instrumentation's transition counter (wraps; only equality matters)
 * @param blockedCount ThreadMXBean's count of monitor entries that blocked, or -1 if unknown
 * @param waitedCount ThreadMXBean's count of waits and parks, or -1 if unknown
 */
public record ThreadSample(
        long threadId,
        String name,
        boolean daemon,
        boolean virtual,
        UnitKind unit,
        String entry,
        int transitions,
        Thread.State jvmState,
        long blockedCount,
        long waitedCount) {

    public Activity activity() {
        return Activity.of(jvmState);
    }

    /** True when nothing that marks progress differs between the two samples of one thread. */
    public boolean sameProgressAs(ThreadSample other) {
        return transitions == other.transitions
                && jvmState == other.jvmState
                && blockedCount == other.blockedCount
                && waitedCount == other.waitedCount;
    }
}
