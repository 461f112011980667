package io.jvmwatchdog.core.detect;

import static io.jvmwatchdog.core.watch.Samples.budgeted;
import io.jvmwatchdog.core.watch.Samples;
import static io.jvmwatchdog.core.watch.Samples.inCall;
import static io.jvmwatchdog.core.watch.Samples.unwatched;
import static io.jvmwatchdog.core.watch.Samples.waitingOn;
import static io.jvmwatchdog.core.watch.Samples.task;
import static io.jvmwatchdog.core.watch.Samples.withCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.WaitKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StuckDetectorTest {

    static final long T = 2_000_000_000L; // timeout
    static final long P = T / 4;          // period

    /** Ticker origins: a random one and one whose arithmetic overflows during the test. */
    static LongStream origins() {
        return LongStream.of(ThreadLocalRandom.current().nextLong(), Long.MAX_VALUE - 3 * T);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void runningTask_isStuckAtTheTimeout_notOneNanosecondBefore(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        assertTrue(d.evaluate(t0, T, List.of(spin)).offenders().isEmpty());
        assertTrue(d.evaluate(t0 + T - 1, T, List.of(spin)).offenders().isEmpty());
        StuckDetector.Result r = d.evaluate(t0 + T, T, List.of(spin));
        assertEquals(1, r.offenders().size());
        assertEquals(T, r.offenders().get(0).stuckNanos());
        assertTrue(r.offenders().get(0).isNew());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void offender_isNewOnlyInTheFirstPassThatFindsIt(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        d.evaluate(t0, T, List.of(spin));
        assertTrue(d.evaluate(t0 + T, T, List.of(spin)).hasNewOffender());
        StuckDetector.Result again = d.evaluate(t0 + T + P, T, List.of(spin));
        assertFalse(again.hasNewOffender());
        assertEquals(T + P, again.offenders().get(0).stuckNanos());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void waitingInATask_isHealthyForever(long t0) {
        StuckDetector d = new StuckDetector();
        for (Thread.State state : new Thread.State[] {Thread.State.WAITING, Thread.State.TIMED_WAITING}) {
            ThreadSample wait = task(8, "consumer", state, 3);
            d.reset();
            for (long t = 0; t <= 10 * T; t += P) {
                assertTrue(d.evaluate(t0 + t, T, List.of(wait)).offenders().isEmpty(), state.toString());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("origins")
    void budgetedUnit_isStuckInAnyOneState(long t0) {
        for (Thread.State state : new Thread.State[] {Thread.State.WAITING, Thread.State.TIMED_WAITING,
                Thread.State.BLOCKED, Thread.State.RUNNABLE}) {
            StuckDetector d = new StuckDetector();
            ThreadSample parked = budgeted(9, "worker", state, 5);
            d.evaluate(t0, T, List.of(parked));
            assertTrue(d.evaluate(t0 + T - 1, T, List.of(parked)).offenders().isEmpty());
            assertEquals(1, d.evaluate(t0 + T, T, List.of(parked)).offenders().size(), state.toString());
        }
    }

    @Test
    void budgetedUnit_isNamedByTheTaskRuleWhenThatRuleCatchesItToo() {
        long t0 = 0;
        ThreadSample parked = budgeted(9, "parked", Thread.State.WAITING, 5);
        ThreadSample spinning = budgeted(10, "spinning", Thread.State.RUNNABLE, 5);
        ThreadSample reading = inCall(budgeted(11, "reading", Thread.State.RUNNABLE, 5), WaitKind.SOCKET_READ,
                "sun.nio.ch.NioSocketImpl.read");
        StuckDetector d = new StuckDetector();
        d.evaluate(t0, T, List.of(parked, spinning, reading));
        Map<String, StuckReason> reasons = new HashMap<>();
        d.evaluate(t0 + T, T, List.of(parked, spinning, reading)).offenders()
                .forEach(o -> reasons.put(o.sample().name(), o.reason()));
        assertEquals(Map.of("parked", StuckReason.BUDGET_EXCEEDED, "spinning", StuckReason.NO_PROGRESS,
                "reading", StuckReason.UNINTERRUPTIBLE_WAIT), reasons);
    }

    @Test
    void aPauseDiscountedAfterTheVerdict_doesNotRecoverAThreadThatDidNothing_butARaisedTimeoutDoes() {
        ThreadSample spin = task(15, "spin", Thread.State.RUNNABLE, 5);
        StuckDetector d = new StuckDetector();
        d.evaluate(0, T, List.of(spin));
        assertEquals(1, d.evaluate(T, T, List.of(spin)).offenders().size());
        d.discount(T / 10); // a collection after the verdict: its start moves, below the threshold again
        StuckDetector.Result after = d.evaluate(T + 1, T, List.of(spin));
        assertEquals(List.of(), after.recovered(), "nothing moved: no recovery");
        assertEquals(1, after.offenders().size(), "still stuck");
        assertEquals(StuckReason.NO_PROGRESS, after.offenders().get(0).reason());
        StuckDetector.Result raised = d.evaluate(T + 2, 2 * T, List.of(spin));
        assertEquals(1, raised.recovered().size(), "a timeout raised at run time does recover it");
    }

    @Test
    void aWaitPinnedToItsCarrier_isStuckPastTheTimeoutInAnyUnit_thoughAParkIsHealthyInATask() {
        long t0 = 0;
        ThreadSample pinnedInTask = inCall(task(12, "pinned-task", Thread.State.WAITING, 5), WaitKind.PINNED,
                "java.util.concurrent.locks.LockSupport.park");
        ThreadSample pinnedIdle = inCall(unwatched(13, "pinned-idle", Thread.State.WAITING), WaitKind.PINNED, null);
        ThreadSample parkedInTask = inCall(task(14, "parked-task", Thread.State.WAITING, 5), WaitKind.PARK,
                "java.util.concurrent.locks.LockSupport.park");
        List<ThreadSample> all = List.of(pinnedInTask, pinnedIdle, parkedInTask);
        StuckDetector d = new StuckDetector();
        d.evaluate(t0, T, all);
        assertTrue(d.evaluate(t0 + T - 1, T, all).offenders().isEmpty(), "not before the timeout");
        Map<String, StuckReason> reasons = new HashMap<>();
        d.evaluate(t0 + T, T, all).offenders().forEach(o -> reasons.put(o.sample().name(), o.reason()));
        assertEquals(Map.of("pinned-task", StuckReason.PINNED, "pinned-idle", StuckReason.PINNED), reasons);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void anyChangeOfTheProgressSignature_restartsTheClock(long t0) {
        ThreadSample base = task(7, "t", Thread.State.RUNNABLE, 1);
        List<ThreadSample> changes = List.of(
                task(7, "t", Thread.State.RUNNABLE, 2),        // an instrumented transition
                withCounts(base, 1, 0),                         // a monitor entry that blocked
                withCounts(base, 0, 1),                         // a native sleep or wait (Java 17)
                budgeted(7, "t", Thread.State.RUNNABLE, 1));   // another unit kind
        for (ThreadSample changed : changes) {
            StuckDetector d = new StuckDetector();
            d.evaluate(t0, T, List.of(base));
            assertTrue(d.evaluate(t0 + T - 1, T, List.of(changed)).offenders().isEmpty());
            assertTrue(d.evaluate(t0 + 2 * T - 2, T, List.of(changed)).offenders().isEmpty(), changed.toString());
            assertEquals(1, d.evaluate(t0 + 2 * T - 1, T, List.of(changed)).offenders().size(), changed.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("origins")
    void stuckThreadThatMovesOn_isRecoveredOnce_withHowLongItWasStuck(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        d.evaluate(t0, T, List.of(spin));
        d.evaluate(t0 + T, T, List.of(spin));
        StuckDetector.Result moved = d.evaluate(t0 + T + P, T, List.of(task(7, "spin", Thread.State.RUNNABLE, 2)));
        assertTrue(moved.offenders().isEmpty());
        assertEquals(1, moved.recovered().size());
        assertEquals(T + P, moved.recovered().get(0).stuckNanos());
        assertTrue(d.evaluate(t0 + T + 2 * P, T, List.of(task(7, "spin", Thread.State.RUNNABLE, 3))).recovered().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void stuckThreadThatLeavesItsSpan_isRecovered_andHealthyOnesThatLeaveAreNot(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        ThreadSample waiter = task(8, "wait", Thread.State.WAITING, 1);
        d.evaluate(t0, T, List.of(spin, waiter));
        d.evaluate(t0 + T, T, List.of(spin, waiter));
        StuckDetector.Result gone = d.evaluate(t0 + T + P, T, List.of());
        assertEquals(1, gone.recovered().size());
        assertEquals("spin", gone.recovered().get(0).sample().name());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void discount_movesEveryStartForward(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        d.evaluate(t0, T, List.of(spin));
        d.discount(10 * T);
        assertTrue(d.evaluate(t0 + 11 * T - 1, T, List.of(spin)).offenders().isEmpty());
        assertEquals(1, d.evaluate(t0 + 11 * T, T, List.of(spin)).offenders().size());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void raisedTimeout_turnsAnOffenderBackIntoARecovery(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        d.evaluate(t0, T, List.of(spin));
        d.evaluate(t0 + T, T, List.of(spin));
        StuckDetector.Result r = d.evaluate(t0 + T + P, 10 * T, List.of(spin));
        assertTrue(r.offenders().isEmpty());
        assertEquals(1, r.recovered().size());
    }

    /** Runs passes every period from t0 until t0 + until, returning the last result. */
    private static StuckDetector.Result passes(StuckDetector d, long t0, long until, List<ThreadSample> samples) {
        StuckDetector.Result r = null;
        for (long t = 0; t <= until; t += P) {
            r = d.evaluate(t0 + t, T, samples);
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("origins")
    void taskInOneUninterruptibleWait_isStuck_andAnInterruptibleOneIsNot(long t0) {
        ThreadSample reader = inCall(task(7, "reader", Thread.State.RUNNABLE, 1), WaitKind.SOCKET_READ, "sun.nio.ch.NioSocketImpl.read");
        ThreadSample selector = inCall(task(8, "selector", Thread.State.RUNNABLE, 1), WaitKind.SELECT, "sun.nio.ch.SelectorImpl.lockAndDoSelect");
        ThreadSample locker = inCall(task(9, "locker", Thread.State.WAITING, 1), WaitKind.LOCK, "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire");
        StuckDetector.Result r = passes(new StuckDetector(), t0, 3 * T, List.of(reader, selector, locker));
        assertEquals(2, r.offenders().size());
        assertEquals(StuckReason.UNINTERRUPTIBLE_WAIT, r.offenders().get(0).reason());
        assertEquals(StuckReason.LOCK_WAIT, r.offenders().get(1).reason());
        assertFalse(r.offenders().get(0).sample().interruptible());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void wakeUpsInsideOneBlockingCall_areNotProgress(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample locker = inCall(task(9, "locker", Thread.State.WAITING, 1), WaitKind.LOCK, "x.Y.acquire");
        d.evaluate(t0, T, List.of(locker));
        // A lock acquisition that re-parks bumps the JVM's waited counter: the same call, no progress.
        assertEquals(1, d.evaluate(t0 + T, T, List.of(withCounts(locker, 0, 5))).offenders().size());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void anyThreadAtAll_blockedOnTheSameMonitorOrLockPastTheTimeout_isStuck(long t0) {
        ThreadSample blocked = unwatched(7, "blocked", Thread.State.BLOCKED);
        ThreadSample locking = inCall(unwatched(8, "locking", Thread.State.WAITING), WaitKind.LOCK, "x.Y.acquire");
        ThreadSample idle = unwatched(9, "idle", Thread.State.WAITING);
        ThreadSample busy = unwatched(10, "busy", Thread.State.RUNNABLE);
        ThreadSample reading = inCall(unwatched(11, "reading", Thread.State.RUNNABLE), WaitKind.SOCKET_READ, "x.Y.read");
        StuckDetector.Result r = passes(new StuckDetector(), t0, 3 * T, List.of(blocked, locking, idle, busy, reading));
        assertEquals(List.of("blocked", "locking"), r.offenders().stream().map(o -> o.sample().name()).toList());
        assertEquals(StuckReason.MONITOR_BLOCKED, r.offenders().get(0).reason());
        assertEquals(StuckReason.LOCK_WAIT, r.offenders().get(1).reason());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void enteringAnotherMonitor_isProgress(long t0) {
        StuckDetector d = new StuckDetector();
        ThreadSample blocked = unwatched(7, "blocked", Thread.State.BLOCKED);
        d.evaluate(t0, T, List.of(blocked));
        assertTrue(d.evaluate(t0 + T, T, List.of(withCounts(blocked, 1, 0))).offenders().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void chain_followsLockOwnersToTheRootHolder_withHowLongEachWaited(long t0) {
        ThreadSample c = inCall(unwatched(3, "C", Thread.State.RUNNABLE), WaitKind.SOCKET_READ, "sun.nio.ch.NioSocketImpl.read");
        ThreadSample b = waitingOn(inCall(unwatched(2, "B", Thread.State.WAITING), WaitKind.LOCK, "x.Y.acquire"),
                new LockRef("java.util.concurrent.locks.ReentrantLock$NonfairSync", 0x4e5f), c);
        ThreadSample a = waitingOn(unwatched(1, "A", Thread.State.BLOCKED), new LockRef("java.lang.Object", 0x1b2c), b);
        StuckDetector d = new StuckDetector();
        d.evaluate(t0, T, List.of(c));
        d.evaluate(t0 + P, T, List.of(b, c));
        StuckDetector.Result r = null;
        for (long t = 2 * P; t <= 2 * P + T; t += P) {
            r = d.evaluate(t0 + t, T, List.of(a, b, c));
        }
        Offender first = r.offenders().get(0);
        assertEquals("A", first.sample().name());
        assertEquals(List.of(
                new ChainLink(1, "A", Thread.State.BLOCKED, "java.lang.Object@1b2c", T),
                new ChainLink(2, "B", Thread.State.WAITING, "java.util.concurrent.locks.ReentrantLock$NonfairSync@4e5f", T + P),
                new ChainLink(3, "C", Thread.State.RUNNABLE,
                        "in an uninterruptible wait: socket read (sun.nio.ch.NioSocketImpl.read)", T + 2 * P)),
                first.chain());
        assertEquals(1, r.offenders().get(1).waiters(), "B holds what A waits for");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void deadlockedThreads_areStuckAtOnce_withTheCycle(long t0) {
        ThreadSample a0 = unwatched(1, "A", Thread.State.BLOCKED);
        ThreadSample b0 = unwatched(2, "B", Thread.State.BLOCKED);
        ThreadSample a = waitingOn(a0, new LockRef("java.lang.Object", 0xb), b0);
        ThreadSample b = waitingOn(b0, new LockRef("java.lang.Object", 0xa), a0);
        StuckDetector d = new StuckDetector();
        d.evaluate(t0, T, List.of(a, b));
        d.update(t0 + P, List.of(a, b));
        assertEquals(Set.of(1L, 2L), d.lockWaiters(t0 + P, P));
        assertEquals(Set.of(), d.lockWaiters(t0 + P, P + 1));
        d.markDeadlocked(new long[] {1, 2});
        StuckDetector.Result r = d.verdicts(t0 + P, T, false);
        assertEquals(2, r.offenders().size());
        Offender oa = r.offenders().get(0);
        assertEquals(StuckReason.DEADLOCK, oa.reason());
        assertTrue(oa.isNew());
        assertEquals(List.of("A", "B", "A"), oa.deadlockCycle().stream().map(ChainLink::threadName).toList());
        assertEquals(1, d.evaluate(t0 + 2 * P, T, List.of(a)).offenders().size(), "still stuck while unchanged");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aThreadSuspendedByADebugger_isNeverStuck_andItsClockRestartsOnResume(long t0) {
        ThreadSample spin = task(7, "spin", Thread.State.RUNNABLE, 1);
        ThreadSample held = Samples.suspended(spin);
        StuckDetector d = new StuckDetector();
        assertTrue(passes(d, t0, 10 * T, List.of(held)).offenders().isEmpty());
        long resumed = t0 + 10 * T + P;
        d.evaluate(resumed, T, List.of(spin));
        assertTrue(d.evaluate(resumed + T - 1, T, List.of(spin)).offenders().isEmpty());
        assertEquals(1, d.evaluate(resumed + T, T, List.of(spin)).offenders().size());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void waitingOnALockASuspendedThreadHolds_isPausedNotStuck(long t0) {
        ThreadSample holder = Samples.suspended(unwatched(2, "holder", Thread.State.RUNNABLE));
        ThreadSample waiter = waitingOn(unwatched(1, "waiter", Thread.State.BLOCKED), new LockRef("java.lang.Object", 1), holder);
        assertTrue(passes(new StuckDetector(), t0, 10 * T, List.of(waiter, holder)).offenders().isEmpty());
    }

    /** A worker parked inside a job of {@code pool}, as the sampler sees it. */
    private static ThreadSample parkedInJobOf(Object pool, long id) {
        ThreadSample s = inCall(task(id, "pool-1-thread-" + id, Thread.State.WAITING, 1), WaitKind.PARK, "LockSupport.park");
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), null, s.unit(), s.entry(), s.unitDetail(),
                s.transitions(), s.waitKind(), s.waitCall(), s.jvmState(), s.blockedCount(), s.waitedCount(), s.lock(),
                s.lockOwnerId(), s.lockOwnerName(), false, pool);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aPoolWhoseWorkersAllWaitInsideJobsWithWorkQueued_isStarved_untilItsQueueMoves(long t0) {
        Object pool = new Object();
        int[] queued = {3};
        StuckDetector d = new StuckDetector(p -> p == pool ? new StuckDetector.PoolState(2, queued[0]) : null);
        List<ThreadSample> workers = List.of(parkedInJobOf(pool, 1), parkedInJobOf(pool, 2));
        d.evaluate(t0, T, workers);
        assertTrue(d.evaluate(t0 + T - 1, T, workers).offenders().isEmpty(), "each wait alone is healthy");
        StuckDetector.Result r = d.evaluate(t0 + T, T, workers);
        assertEquals(2, r.offenders().size());
        for (Offender o : r.offenders()) {
            assertEquals(StuckReason.POOL_STARVATION, o.reason());
            assertEquals("java.lang.Object@" + Integer.toHexString(System.identityHashCode(pool))
                    + ": all 2 worker(s) wait inside jobs; 3 task(s) queued, not started", o.starvedPool().toString());
        }
        queued[0] = 0; // the queue was drained (cancelled): nothing is starved any more
        StuckDetector.Result after = d.evaluate(t0 + T + P, T, workers);
        assertTrue(after.offenders().isEmpty());
        assertEquals(2, after.recovered().size());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aPoolWithAWorkerFree_orWithNothingQueued_isNotStarved(long t0) {
        Object pool = new Object();
        StuckDetector threeWorkers = new StuckDetector(p -> new StuckDetector.PoolState(3, 5));
        List<ThreadSample> two = List.of(parkedInJobOf(pool, 1), parkedInJobOf(pool, 2));
        threeWorkers.evaluate(t0, T, two);
        assertTrue(threeWorkers.evaluate(t0 + 10 * T, T, two).offenders().isEmpty(), "the third worker is free");
        StuckDetector empty = new StuckDetector(p -> new StuckDetector.PoolState(2, 0));
        empty.evaluate(t0, T, two);
        assertTrue(empty.evaluate(t0 + 10 * T, T, two).offenders().isEmpty(), "nothing queued");
        StuckDetector unknown = new StuckDetector();
        unknown.evaluate(t0, T, two);
        assertTrue(unknown.evaluate(t0 + 10 * T, T, two).offenders().isEmpty(), "no inspector: no pool rule");
    }
}
