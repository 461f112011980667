package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>A pass is {@link #update} then {@link #verdicts}; between them the caller may look for deadlocks
 * among {@link #lockWaiters}. Not thread-safe: one pass at a time, from the watchdog loop.
 */
public final class StuckDetector {

    private Map<Long, Tracked> tracked = new LinkedHashMap<>();
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
        for (Tracked t : tracked.values()) {
            long elapsed = nowNanos - t.sinceNanos;
            StuckReason reason = t.deadlocked ? StuckReason.DEADLOCK : reason(t.sample, elapsed, timeoutNanos);
            if (reason == null && t.stuck && timeoutNanos <= t.stuckTimeoutNanos) {
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
                        waiters.getOrDefault(t.sample.threadId(), 0), t.deadlocked ? chain : List.of());
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

    /** The rule: why a thread that has been in one state for {@code elapsedNanos} is stuck, or null. */
    static StuckReason reason(ThreadSample s, long elapsedNanos, long timeoutNanos) {
        if (elapsedNanos < timeoutNanos || s.suspended()) {
            return null; // a thread a debugger suspended is stopped on purpose (the seed's task stops)
        }
        if (s.waitKind() == WaitKind.PINNED) {
            return StuckReason.PINNED; // whatever its unit: the carrier is what is stuck with it
        }
        Activity activity = s.activity();
        switch (s.unit()) {
            case BUDGETED: {
                // Any state counts; name it by the task rule when that rule would catch it too (a
                // request in a socket read is an uninterruptible wait, said as such).
                StuckReason specific = taskReason(s, activity);
                return specific != null ? specific : StuckReason.BUDGET_EXCEEDED;
            }
            case TASK:
                return taskReason(s, activity);
            default:
                if (activity == Activity.MONITOR_BLOCKED) {
                    return StuckReason.MONITOR_BLOCKED;
                }
                return s.waitKind() == WaitKind.LOCK ? StuckReason.LOCK_WAIT : null;
        }
    }

    /** The default rule: what is stuck in an executor task; interruptible waits are healthy (null). */
    private static StuckReason taskReason(ThreadSample s, Activity activity) {
        switch (activity) {
            case RUNNING: return StuckReason.NO_PROGRESS;
            case MONITOR_BLOCKED: return StuckReason.MONITOR_BLOCKED;
            case UNINTERRUPTIBLE_WAIT:
                return s.waitKind() == WaitKind.LOCK ? StuckReason.LOCK_WAIT : StuckReason.UNINTERRUPTIBLE_WAIT;
            default: return null;
        }
    }

    private static boolean isLockWait(ThreadSample s) {
        return s.activity() == Activity.MONITOR_BLOCKED || s.waitKind() == WaitKind.LOCK;
    }
}
