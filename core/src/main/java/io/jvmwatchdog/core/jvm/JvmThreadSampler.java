package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.ThreadState;
import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.detect.StuckDetector.PoolInspector;
import io.jvmwatchdog.core.detect.StuckDetector.PoolState;
import io.jvmwatchdog.core.detect.StuckRule;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitDetail;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Samples the threads a verdict can concern, without stopping the world. Virtual threads (Java 21+)
 * are read from the thread objects their registry states hold ({@link #sampleVirtual}); carriers are
 * skipped. For platform threads:
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
    private final PoolInspector pools;
    private final LiveThreads live = new LiveThreads();
    /**
     * Whether each pool asked about in this pass had work queued: one question per pool and pass,
     * however many of its workers wait inside jobs. Cleared at the start of each pass.
     */
    private final Map<Object, Boolean> workQueued = new IdentityHashMap<>();
    private final Function<Object, Boolean> askWorkQueued = this::askWorkQueued;
    private long passes;

    /**
     * How often a pass asks each virtual thread whether it is alive. Ends the probes saw unlink a
     * state at once; only a thread that started before an agent attached needs asking, and asking
     * reads each thread object of what may be a million.
     */
    private static final int ASK_VIRTUAL_THREADS_EVERY = 16;

    public JvmThreadSampler() {
        this(ManagementFactory.getThreadMXBean(), new JdkPools());
    }

    JvmThreadSampler(ThreadMXBean threads, PoolInspector pools) {
        this.threads = threads;
        this.pools = pools;
    }

    /** What the registry said of one thread, read before the JVM's view (see {@link #sample()}). */
    private record Recorded(UnitKind unit, String entry, UnitDetail detail, int transitions, WaitKind waitKind,
                            String waitCall, Object pool) {
    }

    @Override
    public List<ThreadSample> sample() {
        // The registry's head before the scan: every state from there on is of a thread that had
        // started by the scan, so one the scan did not see alive has ended (ThreadStates.purge).
        // States registered meanwhile are read by the next pass.
        long started = System.nanoTime();
        ThreadState from = ThreadStates.head();
        live.scan();
        Set<Long> monitorBlocked = live.blockedOnMonitorEntry();
        // Read the instrumentation's counters before the JVM's state: a transition racing with this
        // pass then shows as a change in the next one instead of being missed.
        Map<Long, Recorded> recorded = new HashMap<>();
        List<ThreadSample> samples = new ArrayList<>();
        boolean askVirtualThreads = passes++ % ASK_VIRTUAL_THREADS_EVERY == 0;
        workQueued.clear();
        int registered = ThreadStates.purge(from, live::isAlive, askVirtualThreads, s -> {
            Thread virtual = s.virtualThread();
            if (virtual != null) {
                ThreadSample v = sampleVirtual(s, virtual);
                if (v != null) {
                    samples.add(v);
                }
            } else if (live.isCarrier(s.threadId())) {
                return; // its units run virtual threads, judged themselves (a carrier is never stuck)
            } else if (monitorBlocked.contains(s.threadId())
                    || (s.isWatched() && !healthyWhateverItsLength(s)) || Sites.kind(s.blockingSite()) == Blocking.LOCK) {
                recorded.put(s.threadId(), record(s));
            } // else idle, or waiting where no rule sees a hang: nothing to judge, nothing to allocate
        });
        Set<Long> wanted = new LinkedHashSet<>(recorded.keySet());
        wanted.addAll(monitorBlocked);
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
        // For whoever sizes a pass or checks that ended threads leave the registry (watchdog.debug).
        Logger log = AgentLogging.logger();
        if (log.isDebugEnabled()) {
            log.debug("JVM Watchdog pass: {} thread state(s) registered, {} sampled, {} us", registered,
                    samples.size(), (System.nanoTime() - started) / 1000);
        }
        return samples;
    }

    /**
     * Unlinks the states of threads that ended, without sampling anyone: for a registry that grew by
     * {@link ThreadStates#PURGE_EVERY_REGISTRATIONS} since the last pass. Virtual threads are not
     * asked (ends the probes saw are enough); platform threads are listed as a pass lists them.
     */
    @Override
    public void releaseEnded() {
        if (!ThreadStates.purgeDue()) {
            return;
        }
        ThreadState from = ThreadStates.head();
        live.scan();
        ThreadStates.purge(from, live::isAlive, false, s -> { });
    }

    /**
     * A virtual thread, sampled from its thread object: the same rules judge it, so it is sampled
     * when they could concern it (in a unit, in a lock acquisition, pinned, or blocked on a monitor).
     * The JVM keeps no blocked or waited counters for virtual threads; the probes' transitions, which
     * every park, sleep and wait of a virtual thread passes through, stand in for them.
     */
    private ThreadSample sampleVirtual(ThreadState s, Thread thread) {
        if (healthyWhateverItsLength(s)) {
            return null; // most of a large crowd of virtual threads: not even the thread object is read
        }
        boolean byRegistry = s.isWatched() || s.isPinnedPark() || Sites.kind(s.blockingSite()) == Blocking.LOCK;
        Recorded r = byRegistry ? record(s) : null; // the counters first, as for platform threads
        Thread.State state = thread.getState();
        if (state == Thread.State.TERMINATED || state == Thread.State.NEW) {
            return null;
        }
        if (r == null) {
            if (state != Thread.State.BLOCKED) {
                return null; // idle outside any unit
            }
            r = record(s);
        }
        WaitKind wait = r.waitKind();
        if (state == Thread.State.RUNNABLE && wait != null && VirtualThreads.carrierName(thread) == null) {
            // Runnable inside a marked call yet not mounted: its wait is over and it is queued for a
            // carrier. A wait for a carrier is not its own hang (whatever holds the carriers is
            // judged); after a storm of wake-ups it can last longer than a short timeout.
            return null;
        }
        if (s.isPinnedPark() || (state != Thread.State.RUNNABLE && state != Thread.State.BLOCKED
                && wait == null && VirtualThreads.carrierName(thread) != null)) {
            // Parked or waiting without unmounting: pinned. (A park the probes saw is checked by the
            // flag its advice sets; a wait in the VM, such as for another thread's class initialiser,
            // by asking whether the thread is still mounted.)
            wait = WaitKind.PINNED;
        }
        Object blocker = state == Thread.State.RUNNABLE ? null : LockSupport.getBlocker(thread); // what it is parked on: a lock, a queue
        // The JVM names no holder for a virtual waiter; a java.util.concurrent lock names its own.
        Thread owner = JdkInternals.lockOwner(blocker);
        return new ThreadSample(thread.getId(), thread.getName(), true, thread, r.unit(), r.entry(), r.detail(),
                r.transitions(), wait, r.waitCall(), state, 0, 0,
                blocker == null ? null : new LockRef(blocker.getClass().getName(), System.identityHashCode(blocker)),
                owner == null ? -1 : owner.getId(), owner == null ? null : owner.getName(), false, r.pool());
    }

    /**
     * The rule's shortcut ({@link StuckRule#healthyWhateverItsLength}), read from the registry. A
     * worker's pool is asked about only when the answer matters: the worker parks or sleeps inside its
     * job (in another wait it is sampled anyway).
     */
    private boolean healthyWhateverItsLength(ThreadState s) {
        boolean budgeted = s.isBudgeted();
        boolean pinned = s.isPinnedPark();
        WaitKind wait = WaitKind.of(Sites.kind(s.blockingSite()));
        Object pool = s.poolOfJob();
        boolean mayStarve = pool != null && StuckRule.healthyWhateverItsLength(budgeted, pinned, false, wait)
                && hasWorkQueued(pool);
        return StuckRule.healthyWhateverItsLength(budgeted, pinned, mayStarve, wait);
    }

    /**
     * Whether {@code pool}'s queue holds work now, asked once per pass. A pool that cannot say has
     * none: the pool rule never calls it starved either.
     */
    private boolean hasWorkQueued(Object pool) {
        return workQueued.computeIfAbsent(pool, askWorkQueued);
    }

    private Boolean askWorkQueued(Object pool) {
        PoolState state = pools.inspect(pool);
        return state != null && state.queued() > 0;
    }

    private static Recorded record(ThreadState s) {
        int blocking = s.blockingSite(); // read once: the call's name and kind then agree
        UnitKind unit = s.isBudgeted() ? UnitKind.BUDGETED : s.isWatched() ? UnitKind.TASK : UnitKind.NONE;
        return new Recorded(unit, unit == UnitKind.NONE ? null : s.entry(),
                unit == UnitKind.BUDGETED ? UnitDetail.of(s.requestMethod(), s.requestPath(), s.unitSubject()) : null,
                s.transitions(), WaitKind.of(Sites.kind(blocking)), Sites.name(blocking), s.poolOfJob());
    }

    /** How far lock owners are followed: as far as a reported wait-for chain goes. */
    private static final int MAX_OWNER_ROUNDS = 16;

    private static ThreadSample sampleOf(ThreadInfo info, Recorded r) {
        LockInfo lock = info.getLockInfo();
        return new ThreadSample(info.getThreadId(), info.getThreadName(), info.isDaemon(), null,
                r == null ? UnitKind.NONE : r.unit(), r == null ? null : r.entry(), r == null ? null : r.detail(),
                r == null ? 0 : r.transitions(), r == null ? null : r.waitKind(), r == null ? null : r.waitCall(),
                info.getThreadState(), info.getBlockedCount(), info.getWaitedCount(),
                lock == null ? null : new LockRef(lock.getClassName(), lock.getIdentityHashCode()),
                info.getLockOwnerId(), info.getLockOwnerName(), info.isSuspended(), r == null ? null : r.pool());
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
