package io.jvmwatchdog.core.detect;

import static io.jvmwatchdog.core.watch.Samples.budgeted;
import static io.jvmwatchdog.core.watch.Samples.task;
import static io.jvmwatchdog.core.watch.Samples.withCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.model.ThreadSample;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
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
        for (Thread.State state : new Thread.State[] {Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.BLOCKED}) {
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
}
