package io.jvmwatchdog.core.model;

/**
 * One thread as one pass saw it: what the instrumentation recorded plus what the JVM reports.
 *
 * <p>The progress signature ({@link #sameProgressAs}) is the transition counter, the unit, the
 * marked blocking call and, outside a marked call, the JVM's state and its blocked/waited counters:
 * any change between passes is progress. This is how waits the advice cannot see (native sleep and
 * wait on Java 17) still count, and why wake-ups inside one blocking call (a lock acquisition that
 * re-parks) do not.
 *
 * @param virtualThread the thread itself when it is virtual (ThreadMXBean does not know it, so its
 *     stack and carrier are read from it for a report), else null
 * @param entry {@code Class.method} of the outermost watched unit, or null
 * @param unitDetail what that unit serves, when the server said it at entry, or null; put into words
 *     by {@link #detail()} only when a report needs it
 * @param transitions the instrumentation's transition counter (wraps; only equality matters)
 * @param waitKind the outermost marked blocking call, or null
 * @param waitCall {@code Class.method} of that call, or null
 * @param blockedCount ThreadMXBean's count of monitor entries that blocked
 * @param waitedCount ThreadMXBean's count of waits and parks
 * @param lock what the JVM says the thread waits on (monitor or synchronizer), or null
 * @param lockOwnerId the thread holding {@code lock}, or -1
 * @param suspended suspended on purpose (a debugger, JDWP): paused, never stuck
 * @param pool the pool whose job the thread runs, when the instrumentation knows it, else null
 */
public record ThreadSample(
        long threadId,
        String name,
        boolean daemon,
        Thread virtualThread,
        UnitKind unit,
        String entry,
        UnitDetail unitDetail,
        int transitions,
        WaitKind waitKind,
        String waitCall,
        Thread.State jvmState,
        long blockedCount,
        long waitedCount,
        LockRef lock,
        long lockOwnerId,
        String lockOwnerName,
        boolean suspended,
        Object pool) {

    /** A thread in no known pool's job. */
    public ThreadSample(long threadId, String name, boolean daemon, Thread virtualThread, UnitKind unit, String entry,
                        UnitDetail unitDetail, int transitions, WaitKind waitKind, String waitCall, Thread.State jvmState,
                        long blockedCount, long waitedCount, LockRef lock, long lockOwnerId, String lockOwnerName,
                        boolean suspended) {
        this(threadId, name, daemon, virtualThread, unit, entry, unitDetail, transitions, waitKind, waitCall, jvmState,
                blockedCount, waitedCount, lock, lockOwnerId, lockOwnerName, suspended, null);
    }

    public boolean virtual() {
        return virtualThread != null;
    }


    /** {@code request GET /path}, {@code channel [...]} or {@code task Class}, or null. */
    public String detail() {
        return unitDetail == null ? null : unitDetail.describe();
    }

    public Activity activity() {
        return Activity.of(jvmState, waitKind);
    }

    /** True when nothing that marks progress differs between the two samples of one thread. */
    public boolean sameProgressAs(ThreadSample other) {
        if (transitions != other.transitions || unit != other.unit || waitKind != other.waitKind
                || suspended != other.suspended) {
            return false;
        }
        if (waitKind != null) {
            return true;
        }
        return jvmState == other.jvmState
                && blockedCount == other.blockedCount
                && waitedCount == other.waitedCount;
    }

    /** What it waits on, in words: the lock, else the blocking call, else null. */
    public String waitsOn() {
        if (lock != null && (jvmState == Thread.State.BLOCKED || waitKind == null || waitKind == WaitKind.LOCK)) {
            return lock.toString();
        }
        if (waitKind != null) {
            return waitKind.label() + (waitCall == null ? "" : " (" + waitCall + ")");
        }
        return lock == null ? null : lock.toString();
    }

    /** The JVM could interrupt this wait (or it is no wait at all). */
    public boolean interruptible() {
        Activity a = activity();
        return a == Activity.INTERRUPTIBLE_WAIT || a == Activity.RUNNING;
    }
}
