package io.jvmwatchdog.core.sample;

import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.ThreadState;
import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitDetail;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import io.jvmwatchdog.core.watch.AgentThreads;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples every live platform thread: the boot registry gives what the instrumentation recorded
 * (unit, transitions, blocking call); one {@code getThreadInfo(ids, 0)} call gives the JVM's state,
 * its blocked/waited counters and the lock each thread waits on with its owner. With depth 0, HotSpot
 * answers without a safepoint ("maxDepth == 0 … do not need to stop the world", management.cpp), so a
 * pass never stops the world. All threads are sampled, not only watched ones, because a thread
 * blocked on a lock is judged whatever it runs, and a wait-for chain may pass through any thread.
 */
public final class JvmThreadSampler implements ThreadSampler {

    private final ThreadMXBean threads;

    public JvmThreadSampler() {
        this(ManagementFactory.getThreadMXBean());
    }

    JvmThreadSampler(ThreadMXBean threads) {
        this.threads = threads;
    }

    /** What the registry said of one thread, read before the JVM's view (see {@link #sample()}). */
    private record Recorded(UnitKind unit, String entry, UnitDetail detail, int transitions, WaitKind waitKind,
                            String waitCall) {
    }

    @Override
    public List<ThreadSample> sample() {
        // Read the instrumentation's counters before the JVM's state: a transition racing with this
        // pass then shows as a change in the next one instead of being missed.
        ThreadStates.purgeDead();
        Map<Long, Recorded> recorded = new HashMap<>();
        for (ThreadState s = ThreadStates.head(); s != null; s = s.next()) {
            int blocking = s.blockingSite(); // read once: the call's name and kind then agree
            UnitKind unit = s.isBudgeted() ? UnitKind.BUDGETED : s.isWatched() ? UnitKind.TASK : UnitKind.NONE;
            recorded.put(s.threadId(), new Recorded(unit, unit == UnitKind.NONE ? null : s.entry(),
                    unit == UnitKind.BUDGETED ? UnitDetail.of(s.requestMethod(), s.requestPath(), s.unitSubject()) : null, s.transitions(),
                    WaitKind.of(Sites.kind(blocking)), Sites.name(blocking)));
        }
        ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
        List<ThreadSample> samples = new ArrayList<>(infos.length);
        for (ThreadInfo info : infos) {
            if (info == null || AgentThreads.isAgentThread(info.getThreadId())) {
                continue; // ended meanwhile, or one of ours
            }
            Recorded r = recorded.get(info.getThreadId());
            LockInfo lock = info.getLockInfo();
            samples.add(new ThreadSample(info.getThreadId(), info.getThreadName(), info.isDaemon(), false,
                    r == null ? UnitKind.NONE : r.unit(), r == null ? null : r.entry(), r == null ? null : r.detail(),
                    r == null ? 0 : r.transitions(), r == null ? null : r.waitKind(), r == null ? null : r.waitCall(),
                    info.getThreadState(), info.getBlockedCount(), info.getWaitedCount(),
                    lock == null ? null : new LockRef(lock.getClassName(), lock.getIdentityHashCode()),
                    info.getLockOwnerId(), info.getLockOwnerName(), info.isSuspended()));
        }
        return samples;
    }
}
