package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.WaitKind;

/**
 * The rule, as a pure function ({@link #reason}), and beside it the sampler's shortcut
 * ({@link #healthyWhateverItsLength}): what the rule calls healthy for as long as it lasts need not be
 * sampled at all. The two must agree; {@code StuckRuleTest} ties them together.
 */
public final class StuckRule {

    private StuckRule() {
    }

    /** The rule: why a thread that has been in one state for {@code elapsedNanos} is stuck, or null. */
    public static StuckReason reason(ThreadSample s, long elapsedNanos, long timeoutNanos) {
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

    /**
     * The sampler's shortcut: a thread in a task or in no unit (not a budgeted one), parked or sleeping
     * and not pinned to a carrier, is healthy by {@link #reason} however long it waits, and neither call
     * can end up blocked on a monitor (which would change the verdict). So it need not be sampled: a
     * server's idle workers and a crowd of virtual threads waiting on queues cost a pass one registry
     * read each. When the wait ends, the next pass samples the thread afresh, as after any change.
     * Not so for a worker inside a job of a pool whose queue holds work: if all its pool's workers
     * wait so, the pool is starved ({@link #starved}). A pool with nothing queued cannot be, so its
     * workers waiting inside jobs (a service's tasks awaiting replies) are skipped like the others.
     *
     * @param inJobOfPoolWithWorkQueued inside a job of a known pool whose queue held work when the
     *     pass asked
     */
    public static boolean healthyWhateverItsLength(boolean budgeted, boolean pinned, boolean inJobOfPoolWithWorkQueued,
                                                   WaitKind wait) {
        return !budgeted && !pinned && !inJobOfPoolWithWorkQueued && (wait == WaitKind.PARK || wait == WaitKind.SLEEP);
    }

    /**
     * The pool rule: a pool is starved when every one of its workers has waited inside a job (any wait,
     * not running) for at least the timeout while its queue holds work that has not started. A worker
     * parked or sleeping is sampled only while its pool's queue holds work
     * ({@link #healthyWhateverItsLength}), so its wait counts from the first pass that saw work queued:
     * a task queued a moment ago behind workers that have long awaited replies is not starvation yet.
     *
     * @param workers how many workers the pool has
     * @param waitingPastTimeout how many of them wait inside a job, each past the timeout
     * @param queued how many tasks its queue holds
     */
    public static boolean starved(int workers, int waitingPastTimeout, int queued) {
        return workers > 0 && waitingPastTimeout >= workers && queued > 0;
    }
}
