package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StarvedPool;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The decision: which threads are stuck, given what each pass saw.
 *
 * <p>The hot path never reads the clock, so a thread's time in its current state is measured here:
 * from the first pass that saw its current progress signature ({@link ThreadSample#sameProgressAs})
 * to now. A thread is therefore caught between {@code timeout} and {@code timeout + period} after it
 * stopped making progress. The rules, by {@link UnitKind}:
 * <ul>
 *   <li>{@code TASK}: running, in one uninterruptible wait, or blocked on a monitor, past the timeout
 *       (interruptible waits are healthy);</li>
 *   <li>{@code BUDGETED}: in any one state past the timeout (named by the task rule's reason when
 *       that rule catches it too, else "in one state");</li>
 *   <li>{@code NONE} (any thread at all): blocked entering the same monitor, or in the same
 *       non-interruptible lock acquisition, past the timeout.</li>
 *   <li>Any virtual thread: waiting pinned to its carrier past the timeout.</li>
 * </ul>
 * Threads found in a deadlock cycle are stuck at once ({@link #markDeadlocked}).
 *
 * <p>A pass is one call, {@link #judge}: the pauses the loop measured are discounted, the samples
 * taken, a deadlock search run when it is worth its safepoint, and the verdicts returned. (Its steps,
 * {@link #update} and {@link #verdicts}, are public for tests of the rule alone.) Not thread-safe:
 * one pass at a time, from the watchdog loop.
 */
public final class StuckDetector {

    /**
     * A pause this long means the JVM did not run (the seed's value): a loop this late discounts the
     * whole gap, and a collection this long defers the verdicts falling in it by a pass.
     */
    public static final long DESCHEDULE_THRESHOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A thread waiting for a lock past timeout / 4 makes a deadlock search worth its safepoint. */
    static final int DEADLOCK_CANDIDATE_FRACTION = 4;

    /**
     * A span the loop measured in which threads may not have run.
     *
     * @param late the loop woke more than {@link #DESCHEDULE_THRESHOLD_NANOS} late, or the span
     *     itself was that long: nothing ran in it (CPU starvation, SIGSTOP), so all of it is discounted
     * @param gcNanos stop-the-world collection time in the span, discounted when not {@code late}
     */
    public record Pause(long spanNanos, boolean late, long gcNanos) {
    }

    /** The JVM's deadlock search: it stops the world, so it may be refused (the agent's pause budget). */
    public interface DeadlockSearch {
        /** Whether a search may run now. */
        boolean allowed();

        /** @return the threads in deadlock cycles, or null when there are none */
        long[] find();
    }

    /** What a pool says of itself, for the pool rule ({@link StuckRule#starved}). */
    public interface PoolInspector {
        /** No pool is known: the pool rule never fires. */
        PoolInspector NONE = pool -> null;

        /**
         * @return the pool's workers and queued tasks now, or null when it cannot say; never throws
         *     (the watchdog's loop and the sampler call it on the application's pools)
         */
        PoolState inspect(Object pool);
    }

    /** How many workers a pool has and how many tasks wait in its queue. */
    public record PoolState(int workers, int queued) {
    }

    private final PoolInspector pools;
    private Map<Long, Tracked> tracked = new LinkedHashMap<>();
    private Set<Long> lastDeadlockCandidates = Set.of();

    /** A detector with no pool rule (no pool can be inspected). */
    public StuckDetector() {
        this(PoolInspector.NONE);
    }

    public StuckDetector(PoolInspector pools) {
        this.pools = pools;
    }
    private final List<Recovery> pendingRecoveries = new ArrayList<>();

    private static final class Tracked {
        ThreadSample sample;
        long sinceNanos;
        boolean stuck;
        boolean deadlocked;
        /** When stuck: the reason, and the timeout in force when the verdict was made. */
        StuckReason reason;
        long stuckTimeoutNanos;

        Tracked(ThreadSample sample, long sinceNanos) {
            this.sample = sample;
            this.sinceNanos = sinceNanos;
        }
    }

    /** What one pass concluded. */
    public record Result(List<Offender> offenders, List<Recovery> recovered) {
        public boolean hasNewOffender() {
            return newOffenderCount() > 0;
        }

        public int newOffenderCount() {
            int n = 0;
            for (Offender o : offenders) {
                n += o.isNew() ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Moves every tracked state's start forward by {@code nanos}: time during which the JVM did not run
     * (the loop was descheduled, the process stopped) must not count towards anyone's timeout.
     */
    public void discount(long nanos) {
        for (Tracked t : tracked.values()) {
            t.sinceNanos += nanos;
        }
    }

    /** Forgets everything, as after a restart. */
    public void reset() {
        tracked = new LinkedHashMap<>();
        pendingRecoveries.clear();
        lastDeadlockCandidates = Set.of();
    }

    /**
     * One pass: discounts each pause, takes the samples, searches for deadlocks when it is worth it,
     * and returns the verdicts.
     *
     * @param pauses the spans since the last pass, and during this one, in which the JVM may not have run
     */
    public Result judge(long nowNanos, List<ThreadSample> samples, long timeoutNanos, List<Pause> pauses,
                        DeadlockSearch deadlocks) {
        boolean paused = false;
        for (Pause pause : pauses) {
            paused |= discount(pause);
        }
        update(nowNanos, samples);
        searchDeadlocks(nowNanos, timeoutNanos, deadlocks);
        // A verdict that would fall inside a detected pause waits one pass: then it is clear whether
        // the thread is stuck or was only paused with everyone else.
        return verdicts(nowNanos, timeoutNanos, paused);
    }

    /**
     * The seed's deschedule discount: a span in which the JVM did not run is taken off every tracked
     * thread's time in state, for good; otherwise the stop-the-world collection time in it.
     *
     * @return whether the pause was long enough that verdicts falling in it should wait a pass
     */
    private boolean discount(Pause pause) {
        if (pause.late()) {
            discount(pause.spanNanos());
            return true;
        }
        if (pause.gcNanos() > 0) {
            discount(Math.min(pause.gcNanos(), pause.spanNanos()));
        }
        return pause.gcNanos() >= DESCHEDULE_THRESHOLD_NANOS;
    }

    /**
     * A deadlock is proof, so it is reported without waiting for the timeout. But the search stops the
     * world: it runs only when threads have waited for a lock past a quarter of the timeout, only
     * when that set of threads changed since the last search (a known deadlock is not searched again),
     * and only when the search allows it (the agent's pause budget; a later pass searches, and
     * meanwhile a deadlock is still caught by the timeout, as the lock waits it is made of).
     */
    private void searchDeadlocks(long nowNanos, long timeoutNanos, DeadlockSearch deadlocks) {
        Set<Long> candidates = lockWaiters(nowNanos, timeoutNanos / DEADLOCK_CANDIDATE_FRACTION);
        if (candidates.isEmpty() || candidates.equals(lastDeadlockCandidates)) {
            lastDeadlockCandidates = candidates;
            return;
        }
        if (!deadlocks.allowed()) {
            return;
        }
        long[] deadlocked = deadlocks.find();
        if (deadlocked != null) {
            markDeadlocked(deadlocked);
        }
        lastDeadlockCandidates = candidates;
    }

    /** One whole pass, for callers with no deadlock search in between. */
    public Result evaluate(long nowNanos, long timeoutNanos, List<ThreadSample> samples) {
        update(nowNanos, samples);
        return verdicts(nowNanos, timeoutNanos, false);
    }

    /**
     * Takes this pass's samples, at most one per thread id. A thread whose signature changed starts a
     * new state now; a stuck thread that changed, or was not sampled (it left its unit, or ended),
     * is recorded as recovered.
     */
    public void update(long nowNanos, List<ThreadSample> samples) {
        Map<Long, Tracked> next = new LinkedHashMap<>(Math.max(16, samples.size() * 2));
        for (ThreadSample sample : samples) {
            Tracked t = tracked.remove(sample.threadId());
            if (t == null || !t.sample.sameProgressAs(sample)) {
                if (t != null && t.stuck) {
                    pendingRecoveries.add(new Recovery(t.sample, nowNanos - t.sinceNanos));
                }
                t = new Tracked(sample, nowNanos);
            } else {
                t.sample = sample;
            }
            next.put(sample.threadId(), t);
        }
        for (Tracked t : tracked.values()) {
            if (t.stuck) {
                pendingRecoveries.add(new Recovery(t.sample, nowNanos - t.sinceNanos));
            }
        }
        tracked = next;
    }

    /**
     * Threads that have waited for a lock (entering a monitor, or in a lock acquisition) for at least
     * {@code minNanos}: the only ones a deadlock search can find, so without them it is not run.
     */
    public Set<Long> lockWaiters(long nowNanos, long minNanos) {
        Set<Long> ids = new HashSet<>();
        for (Tracked t : tracked.values()) {
            if (isLockWait(t.sample) && nowNanos - t.sinceNanos >= minNanos) {
                ids.add(t.sample.threadId());
            }
        }
        return ids;
    }

    /** Threads in a deadlock cycle: stuck from now on, whatever their time in state, until they move. */
    public void markDeadlocked(long[] threadIds) {
        for (long id : threadIds) {
            Tracked t = tracked.get(id);
            if (t != null) {
                t.deadlocked = true;
            }
        }
    }

    /**
     * The verdicts of the pass: every stuck thread, with its wait-for chain, and the recoveries.
     *
     * @param deferNew the pass saw the JVM paused (GC, SIGSTOP, starvation): a thread that would
     *     become stuck now is left for the next pass, which can tell a hang from the pause
     */
    public Result verdicts(long nowNanos, long timeoutNanos, boolean deferNew) {
        List<Offender> offenders = new ArrayList<>();
        List<Recovery> recovered = new ArrayList<>(pendingRecoveries);
        pendingRecoveries.clear();
        Map<Long, ThreadSample> byId = new HashMap<>(tracked.size() * 2);
        Map<Long, Integer> waiters = new HashMap<>();
        for (Tracked t : tracked.values()) {
            byId.put(t.sample.threadId(), t.sample);
            if (t.sample.lockOwnerId() >= 0) {
                waiters.merge(t.sample.lockOwnerId(), 1, Integer::sum);
            }
        }
        Map<Long, StarvedPool> starved = starvedWorkers(nowNanos, timeoutNanos);
        for (Tracked t : tracked.values()) {
            long elapsed = nowNanos - t.sinceNanos;
            StuckReason reason = t.deadlocked ? StuckReason.DEADLOCK : StuckRule.reason(t.sample, elapsed, timeoutNanos);
            StarvedPool pool = reason == null ? starved.get(t.sample.threadId()) : null;
            if (pool != null) {
                reason = StuckReason.POOL_STARVATION;
            }
            if (reason == null && t.stuck && timeoutNanos <= t.stuckTimeoutNanos
                    && t.reason != StuckReason.POOL_STARVATION) { // a pool that is no longer starved has recovered
                // Back under the threshold with no change of state: a pause discounted after the
                // verdict (the JVM did not run) moved its start. The thread did nothing; it stays stuck.
                reason = t.reason;
            }
            List<ChainLink> chain = reason == null ? List.of()
                    : WaitChains.from(t.sample, byId, id -> timeInState(id, nowNanos));
            if (reason != null && !t.deadlocked && pausedOnPurpose(chain, byId)) {
                reason = null; // waiting on a thread a debugger holds suspended: paused, not stuck
            }
            if (reason != null && deferNew && !t.stuck) {
                continue;
            }
            if (reason != null) {
                Offender o = new Offender(t.sample, elapsed, !t.stuck, reason).withContext(chain,
                        waiters.getOrDefault(t.sample.threadId(), 0), t.deadlocked ? chain : List.of())
                        .withStarvedPool(pool);
                offenders.add(o);
                if (!t.stuck) {
                    t.stuckTimeoutNanos = timeoutNanos;
                }
                t.stuck = true;
                t.reason = reason;
            } else if (t.stuck) {
                // Same state but no longer past the threshold: the timeout was raised at run time.
                recovered.add(new Recovery(t.sample, elapsed));
                t.stuck = false;
            }
        }
        return new Result(List.copyOf(offenders), List.copyOf(recovered));
    }

    /**
     * The pool rule: the workers of every pool that is starved ({@link StuckRule#starved}), by thread
     * id. A pool is asked here only when some worker of it has waited inside a job past the timeout
     * (the sampler asks once a pass whether work is queued, for its parked workers).
     */
    private Map<Long, StarvedPool> starvedWorkers(long nowNanos, long timeoutNanos) {
        Map<Object, List<ThreadSample>> waitingByPool = new IdentityHashMap<>();
        for (Tracked t : tracked.values()) {
            Object pool = t.sample.pool();
            if (pool != null && t.sample.activity() != Activity.RUNNING && nowNanos - t.sinceNanos >= timeoutNanos) {
                waitingByPool.computeIfAbsent(pool, k -> new ArrayList<>()).add(t.sample);
            }
        }
        if (waitingByPool.isEmpty()) {
            return Map.of();
        }
        Map<Long, StarvedPool> starved = new HashMap<>();
        waitingByPool.forEach((pool, waiting) -> {
            PoolState state = pools.inspect(pool);
            if (state != null && StuckRule.starved(state.workers(), waiting.size(), state.queued())) {
                StarvedPool named = new StarvedPool(pool.getClass().getName() + "@"
                        + Integer.toHexString(System.identityHashCode(pool)), state.workers(), state.queued());
                waiting.forEach(s -> starved.put(s.threadId(), named));
            }
        });
        return starved;
    }

    /** A tracked thread as a status view shows it. */
    public record Watched(ThreadSample sample, long inStateNanos, StuckReason stuckReason) {
    }

    /** Every tracked thread now: what the last pass sampled, how long in its state, and whether stuck. */
    public List<Watched> watched(long nowNanos) {
        List<Watched> list = new ArrayList<>(tracked.size());
        for (Tracked t : tracked.values()) {
            list.add(new Watched(t.sample, nowNanos - t.sinceNanos, t.stuck ? t.reason : null));
        }
        return List.copyOf(list);
    }

    /** Time in the current state of a tracked thread, or -1. */
    public long timeInState(long threadId, long nowNanos) {
        Tracked t = tracked.get(threadId);
        return t == null ? -1 : nowNanos - t.sinceNanos;
    }

    private static boolean pausedOnPurpose(List<ChainLink> chain, Map<Long, ThreadSample> byId) {
        for (ChainLink link : chain) {
            ThreadSample s = byId.get(link.threadId());
            if (s != null && s.suspended()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLockWait(ThreadSample s) {
        return s.activity() == Activity.MONITOR_BLOCKED || s.waitKind() == WaitKind.LOCK;
    }
}
