package io.jvmwatchdog.core.model;

import java.util.List;

/**
 * What the watchdog concluded about one thread: stuck in one state for {@code stuckNanos}.
 *
 * <p>Transitions: {@code tracked → stuck} when a thread stays in one state past the timeout (which
 * states count depends on its {@link UnitKind}; see {@link StuckReason}) or at once when it is found in
 * a deadlock cycle; {@code stuck → recovered} when its progress signature changes or it leaves its
 * unit. Each step is reported once; a thread that stays stuck is re-reported at most once a minute.
 *
 * @param isNew true in the pass that first found it stuck
 * @param chain the wait-for chain from this thread to the root holder (empty when it waits on no lock)
 * @param waiters how many threads wait on locks this thread holds
 * @param deadlockCycle for {@link StuckReason#DEADLOCK}, the whole cycle starting at this thread; else empty
 * @param starvedPool for {@link StuckReason#POOL_STARVATION}, the pool; else null
 */
public record Offender(ThreadSample sample, long stuckNanos, boolean isNew, StuckReason reason,
                       List<ChainLink> chain, int waiters, List<ChainLink> deadlockCycle, StarvedPool starvedPool) {

    public Offender(ThreadSample sample, long stuckNanos, boolean isNew, StuckReason reason) {
        this(sample, stuckNanos, isNew, reason, List.of(), 0, List.of(), null);
    }

    public Offender withContext(List<ChainLink> chain, int waiters, List<ChainLink> deadlockCycle) {
        return new Offender(sample, stuckNanos, isNew, reason, chain, waiters, deadlockCycle, starvedPool);
    }

    public Offender withStarvedPool(StarvedPool pool) {
        return new Offender(sample, stuckNanos, isNew, reason, chain, waiters, deadlockCycle, pool);
    }
}
