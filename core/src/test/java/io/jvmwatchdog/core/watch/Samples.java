package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;

/** Builds samples for tests. */
public final class Samples {
    private Samples() {
    }

    public static ThreadSample task(long id, String name, Thread.State state, int transitions) {
        return of(id, name, UnitKind.TASK, "java.util.concurrent.ThreadPoolExecutor.runWorker", transitions, state);
    }

    public static ThreadSample budgeted(long id, String name, Thread.State state, int transitions) {
        return of(id, name, UnitKind.BUDGETED, "com.example.Worker.process", transitions, state);
    }

    /** A thread in no unit of work. */
    public static ThreadSample unwatched(long id, String name, Thread.State state) {
        return of(id, name, UnitKind.NONE, null, 0, state);
    }

    private static ThreadSample of(long id, String name, UnitKind unit, String entry, int transitions, Thread.State state) {
        return new ThreadSample(id, name, false, null, unit, entry, null, transitions, null, null, state, 0, 0, null, -1, null, false);
    }

    public static ThreadSample withCounts(ThreadSample s, long blocked, long waited) {
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), s.virtualThread(), s.unit(), s.entry(), s.unitDetail(), s.transitions(),
                s.waitKind(), s.waitCall(), s.jvmState(), blocked, waited, s.lock(), s.lockOwnerId(), s.lockOwnerName(), s.suspended());
    }

    /** The same thread inside a marked blocking call. */
    public static ThreadSample inCall(ThreadSample s, WaitKind kind, String call) {
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), s.virtualThread(), s.unit(), s.entry(), s.unitDetail(), s.transitions(),
                kind, call, s.jvmState(), s.blockedCount(), s.waitedCount(), s.lock(), s.lockOwnerId(), s.lockOwnerName(), s.suspended());
    }

    /** The same thread waiting on a lock held by another. */
    public static ThreadSample waitingOn(ThreadSample s, LockRef lock, ThreadSample owner) {
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), s.virtualThread(), s.unit(), s.entry(), s.unitDetail(), s.transitions(),
                s.waitKind(), s.waitCall(), s.jvmState(), s.blockedCount(), s.waitedCount(), lock,
                owner == null ? -1 : owner.threadId(), owner == null ? null : owner.name(), s.suspended());
    }

    /** The same thread, suspended by a debugger. */
    public static ThreadSample suspended(ThreadSample s) {
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), s.virtualThread(), s.unit(), s.entry(), s.unitDetail(), s.transitions(),
                s.waitKind(), s.waitCall(), s.jvmState(), s.blockedCount(), s.waitedCount(), s.lock(), s.lockOwnerId(),
                s.lockOwnerName(), true);
    }
}
