package io.jvmwatchdog.core.jvm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Finds deadlock cycles among monitors and ownable synchronizers. This stops the world (a
 * {@code VM_FindDeadlocks} safepoint), so the watchdog calls it only when a pass has new candidates.
 */
@FunctionalInterface
public interface DeadlockFinder {
    /** Ids of the deadlocked threads, or null when there are none. */
    long[] find();

    /** The JVM's, each search measured as the agent's own pause. */
    static DeadlockFinder platform(AgentPauses pauses) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return () -> pauses.measure(AgentPauses.Kind.DEADLOCK_SEARCH, mx::findDeadlockedThreads);
    }

    static DeadlockFinder none() {
        return () -> null;
    }
}
