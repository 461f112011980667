package io.jvmwatchdog.core.sample;

import io.jvmwatchdog.boot.Blocking;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples the platform threads a verdict can concern, without stopping the world:
 * <ul>
 *   <li>every thread the registry shows inside a unit, or in a non-interruptible lock acquisition;</li>
 *   <li>every thread blocked entering a monitor, found by reading each live thread's state field
 *       (a plain read; no VM operation);</li>
 *   <li>the owners of the locks those threads wait on, and theirs, so that a wait-for chain reaches
 *       its root holder whatever that thread runs.</li>
 * </ul>
 * Every other thread is idle outside any unit, which no rule can call stuck, so it costs a pass one
 * state read. The registry gives what the instrumentation recorded (unit, transitions, blocking
 * call); one {@code getThreadInfo(ids, 0)} call gives the JVM's state, blocked/waited counters and
 * the lock each waits on with its owner. With depth 0, HotSpot answers without a safepoint
 * ("maxDepth == 0 … do not need to stop the world", management.cpp).
 */
public final class JvmThreadSampler implements ThreadSampler {

    private final ThreadMXBean threads;
    private final LiveThreads live = new LiveThreads();

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
        // The registry's head before the scan: every state from there on is of a thread that had
        // started by the scan, so one the scan did not see alive has ended (ThreadStates.purge).
        // States registered meanwhile are read by the next pass.
        ThreadState from = ThreadStates.head();
        live.scan();
        ThreadStates.purge(from, live::isAlive);
        Set<Long> monitorBlocked = live.blockedOnMonitorEntry();
        // Read the instrumentation's counters before the JVM's state: a transition racing with this
        // pass then shows as a change in the next one instead of being missed.
        Map<Long, Recorded> recorded = new HashMap<>();
        for (ThreadState s = from; s != null; s = s.next()) {
            if (s.isWatched() || Sites.kind(s.blockingSite()) == Blocking.LOCK
                    || monitorBlocked.contains(s.threadId())) {
                recorded.put(s.threadId(), record(s));
            } // else idle outside any unit: nothing to judge, nothing to allocate
        }
        Set<Long> wanted = new LinkedHashSet<>(recorded.keySet());
        wanted.addAll(monitorBlocked);
        List<ThreadSample> samples = new ArrayList<>(wanted.size());
        Set<Long> sampled = new HashSet<>();
        for (int round = 0; !wanted.isEmpty() && round <= MAX_OWNER_ROUNDS; round++) {
            Set<Long> owners = new LinkedHashSet<>();
            for (ThreadInfo info : threads.getThreadInfo(toArray(wanted), 0)) {
                if (info == null || AgentThreads.isAgentThread(info.getThreadId())) {
                    continue; // ended meanwhile, or one of ours
                }
                sampled.add(info.getThreadId());
                samples.add(sampleOf(info, recorded.get(info.getThreadId())));
                if (info.getLockOwnerId() >= 0) {
                    owners.add(info.getLockOwnerId());
                }
            }
            owners.removeAll(sampled);
            owners.removeAll(wanted);
            if (!owners.isEmpty()) {
                // Rare (threads wait on locks): what the registry says of the owners, such as the
                // socket read the root holder is in, names their part of the chain.
                for (ThreadState s = from; s != null; s = s.next()) {
                    if (owners.contains(s.threadId())) {
                        recorded.putIfAbsent(s.threadId(), record(s));
                    }
                }
            }
            wanted = owners;
        }
        return samples;
    }

    private static Recorded record(ThreadState s) {
        int blocking = s.blockingSite(); // read once: the call's name and kind then agree
        UnitKind unit = s.isBudgeted() ? UnitKind.BUDGETED : s.isWatched() ? UnitKind.TASK : UnitKind.NONE;
        return new Recorded(unit, unit == UnitKind.NONE ? null : s.entry(),
                unit == UnitKind.BUDGETED ? UnitDetail.of(s.requestMethod(), s.requestPath(), s.unitSubject()) : null,
                s.transitions(), WaitKind.of(Sites.kind(blocking)), Sites.name(blocking));
    }

    /** How far lock owners are followed: as far as a reported wait-for chain goes. */
    private static final int MAX_OWNER_ROUNDS = 16;

    private static ThreadSample sampleOf(ThreadInfo info, Recorded r) {
        LockInfo lock = info.getLockInfo();
        return new ThreadSample(info.getThreadId(), info.getThreadName(), info.isDaemon(), false,
                r == null ? UnitKind.NONE : r.unit(), r == null ? null : r.entry(), r == null ? null : r.detail(),
                r == null ? 0 : r.transitions(), r == null ? null : r.waitKind(), r == null ? null : r.waitCall(),
                info.getThreadState(), info.getBlockedCount(), info.getWaitedCount(),
                lock == null ? null : new LockRef(lock.getClassName(), lock.getIdentityHashCode()),
                info.getLockOwnerId(), info.getLockOwnerName(), info.isSuspended());
    }

    private static long[] toArray(Set<Long> ids) {
        long[] array = new long[ids.size()];
        int i = 0;
        for (long id : ids) {
            array[i++] = id;
        }
        return array;
    }
}
