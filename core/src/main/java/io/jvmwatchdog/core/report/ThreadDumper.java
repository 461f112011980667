package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.sample.AgentPauses;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;

/**
 * The JVM's thread stacks, for reports only, never per pass: both calls stop the world.
 *
 * <p>What each costs decides the order of a report (evidence first, see {@link LogReporter}):
 * {@link #stacksOf} walks the named threads' stacks in one short safepoint, a cost in proportion to
 * those few threads. {@link #dumpAll} walks every platform thread, with the monitors each holds (the
 * JVM's list of inflated monitors: no heap walk); listing ownable synchronizers too
 * ({@code dump-synchronizers=true}) adds a walk of the whole heap inside the same safepoint, about a
 * second per 4 GB of live small objects.
 */
public interface ThreadDumper {

    /**
     * Frames kept per thread in a dump: a runaway recursion's thread has tens of thousands, and
     * every one would cost the dump memory and the report its budget.
     */
    int MAX_DEPTH = 1024;

    /**
     * Every platform thread: stacks, locked monitors, and ownable synchronizers if so configured and
     * {@code mayWalkHeap}. A JVM about to be halted is dumped without them: a heap walk, once begun,
     * holds every thread (the halting one too) until it is done, however long that is.
     */
    ThreadInfo[] dumpAll(boolean mayWalkHeap);

    /** Whether the last {@link #dumpAll} listed ownable synchronizers (the "Locked ownable synchronizers" section). */
    boolean listsSynchronizers();

    /** The stacks of these platform threads only (no locks); null entries for threads that ended. */
    ThreadInfo[] stacksOf(long[] threadIds);

    /**
     * The JVM's, every call measured as the agent's own pause.
     *
     * @param synchronizers whether a dump lists ownable synchronizers (a heap walk), asked at each dump
     *     ({@code dump-synchronizers} can be changed by a later attach)
     */
    static ThreadDumper platform(BooleanSupplier synchronizers, AgentPauses pauses) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return new ThreadDumper() {
            private volatile boolean listed;

            @Override
            public ThreadInfo[] dumpAll(boolean mayWalkHeap) {
                boolean withSynchronizers = mayWalkHeap && synchronizers.getAsBoolean() && mx.isSynchronizerUsageSupported();
                listed = withSynchronizers;
                return pauses.measure(AgentPauses.Kind.DUMP,
                        () -> mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), withSynchronizers, MAX_DEPTH));
            }

            @Override
            public boolean listsSynchronizers() {
                return listed;
            }

            @Override
            public ThreadInfo[] stacksOf(long[] threadIds) {
                if (threadIds.length == 0) {
                    return new ThreadInfo[0];
                }
                return pauses.measure(AgentPauses.Kind.STACKS, () -> mx.getThreadInfo(threadIds, MAX_DEPTH));
            }
        };
    }
}
