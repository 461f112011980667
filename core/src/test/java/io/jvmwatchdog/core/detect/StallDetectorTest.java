package io.jvmwatchdog.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.PauseTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole-JVM check alone, on made-up clocks and pause totals. */
class StallDetectorTest {

    static final long S = TimeUnit.SECONDS.toNanos(1);
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long WINDOW = 4 * S;
    static final long PERIOD = WINDOW / 4;
    static final long MINUTE = 60 * S;

    final StallDetector detector = new StallDetector(MINUTE);
    long now = 12_345 * S;
    long stopped;
    long safepoints;
    long fullGcs;
    long fullGcMillis;
    final List<StallDetector.Verdict> verdicts = new ArrayList<>();
    StallDetector.Result last;

    /** One pass, {@code late} after it was due, with {@code stoppedMeanwhile} of it stopped by the JVM in full collections. */
    StallDetector.Result pass(long late, long stoppedMeanwhile, int threshold, boolean starvationChecked) {
        now += PERIOD + late;
        stopped += stoppedMeanwhile;
        safepoints += stoppedMeanwhile / (10 * MS);
        fullGcs += stoppedMeanwhile / (10 * MS);
        fullGcMillis += stoppedMeanwhile / MS;
        PauseTotals totals = new PauseTotals(stopped, safepoints,
                List.of(new JvmStall.Collector("Young", 7, 30), new JvmStall.Collector("Full", fullGcs, fullGcMillis)));
        last = detector.observe(now, totals, late, WINDOW, threshold, starvationChecked);
        verdicts.add(last.verdict());
        return last;
    }

    StallDetector.Result pass(long late, long stoppedMeanwhile) {
        return pass(late, stoppedMeanwhile, 50, true);
    }

    void passes(int n, long late, long stoppedMeanwhile) {
        for (int i = 0; i < n; i++) {
            pass(late, stoppedMeanwhile);
        }
    }

    @Test
    void aDeathSpiral_isAStallOnceAWholeWindowShowsIt_withItsFigures() {
        passes(4, 0, PERIOD * 97 / 100);
        assertEquals(List.of(StallDetector.Verdict.NONE, StallDetector.Verdict.NONE, StallDetector.Verdict.NONE,
                StallDetector.Verdict.NONE), verdicts, "less than a whole window since the first pass: no verdict, however bad");
        assertEquals(-1, detector.lastStoppedPermille());
        StallDetector.Result r = pass(0, PERIOD * 97 / 100);
        assertEquals(StallDetector.Verdict.NEW, r.verdict());
        JvmStall s = r.stall();
        assertEquals(JvmStall.Cause.PAUSES, s.cause());
        assertEquals(WINDOW, s.windowNanos());
        assertEquals(970, s.stoppedPermille());
        assertEquals(970, detector.lastStoppedPermille());
        assertEquals(4 * 97, s.collections(), "the young collector did not run in the window: only the full one counts");
        assertEquals(List.of(new JvmStall.Collector("Full", 4 * 97, 4 * 970)), s.collectors());
        assertEquals("Full", s.mainCollector());
        assertEquals(4 * 97, s.pauses());
        assertEquals(0, s.latePasses());
    }

    @Test
    void aHealthyServiceCollectingAFewPercent_isNeverAStall() {
        passes(200, 0, PERIOD * 3 / 100);
        assertTrue(verdicts.stream().allMatch(v -> v == StallDetector.Verdict.NONE), verdicts::toString);
        assertEquals(30, detector.lastStoppedPermille(), "and the check did measure it");
    }

    @ParameterizedTest
    @ValueSource(ints = {49, 50})
    void theThresholdIsAShareOfTheWindow_reachedIsAStall(int stoppedPercent) {
        for (int i = 0; i < 8; i++) {
            pass(0, PERIOD * stoppedPercent / 100, 50, true);
        }
        assertEquals(stoppedPercent >= 50, verdicts.contains(StallDetector.Verdict.NEW), verdicts::toString);
    }

    @Test
    void aSingleLongStop_isAPause_neverAStall() {
        passes(6, 0, 0);
        pass(5 * WINDOW, 0); // SIGSTOP for five windows, a VM migration, a laptop's sleep
        passes(20, 0, 0);
        assertTrue(verdicts.stream().allMatch(v -> v == StallDetector.Verdict.NONE), verdicts::toString);
        assertEquals(0, detector.lastStoppedPermille());
    }

    @Test
    void twoStopsInARow_areStillPauses() {
        passes(6, 0, 0);
        pass(3 * WINDOW, 0);
        pass(3 * WINDOW, 0);
        passes(10, 0, 0);
        assertTrue(verdicts.stream().allMatch(v -> v == StallDetector.Verdict.NONE), verdicts::toString);
    }

    @Test
    void aLoopLatePassAfterPass_isAStarvedStall_withItsLateness() {
        passes(6, 0, 0);
        pass(1500 * MS, 0);
        pass(1500 * MS, 0);
        assertEquals(StallDetector.Verdict.NONE, last.verdict(), "two late passes: could be two stops");
        pass(1500 * MS, 0);
        // Due at the first late pass's due time; three passes of a period and 1.5 s each: 6.5 s > the window.
        assertEquals(StallDetector.Verdict.NEW, last.verdict());
        JvmStall s = last.stall();
        assertEquals(JvmStall.Cause.STARVED, s.cause());
        assertEquals(3, s.latePasses());
        assertEquals(4500 * MS, s.lateNanos());
        assertEquals(1500 * MS, s.maxLateNanos());
        assertEquals(2 * PERIOD + 3 * 1500 * MS, s.lastedNanos(), "from when the first late pass was due");
    }

    @Test
    void aShortStreak_mustAlsoOutlastTheWindow() {
        passes(6, 0, 0);
        for (int i = 0; i < 3; i++) {
            now -= PERIOD * 3 / 4; // passes a quarter period apart: three late ones span less than the window
            pass(1100 * MS, 0);
        }
        assertEquals(StallDetector.Verdict.NONE, last.verdict());
        pass(1100 * MS, 0);
        assertEquals(StallDetector.Verdict.NEW, last.verdict(), "a fourth takes it past the window");
    }

    @Test
    void latenessThatPausesExplain_isNotStarvation() {
        passes(6, 0, 0);
        for (int i = 0; i < 12; i++) {
            pass(1500 * MS, 1400 * MS, 90, true); // late by 1.5 s of which 1.4 s was collections
        }
        assertTrue(verdicts.stream().allMatch(v -> v == StallDetector.Verdict.NONE), verdicts::toString);
    }

    @Test
    void underADebugger_latePassesAreNeverAStall_butPausesStillAre() {
        passes(6, 0, 0);
        for (int i = 0; i < 12; i++) {
            pass(3 * S, 0, 50, false);
        }
        assertTrue(verdicts.stream().allMatch(v -> v == StallDetector.Verdict.NONE), verdicts::toString);
        for (int i = 0; i < 8; i++) {
            pass(0, PERIOD, 50, false);
        }
        assertTrue(verdicts.contains(StallDetector.Verdict.NEW), verdicts::toString);
    }

    @Test
    void aStall_isToldAgainOnceAMinute_andIsOverAfterAWholeWindowWithout() {
        passes(5, 0, PERIOD);
        assertEquals(StallDetector.Verdict.NEW, last.verdict());
        int perMinute = (int) (MINUTE / PERIOD);
        passes(perMinute - 1, 0, PERIOD);
        assertEquals(StallDetector.Verdict.ONGOING, last.verdict());
        pass(0, PERIOD);
        assertEquals(StallDetector.Verdict.REPEAT, last.verdict());
        assertEquals(MINUTE, last.stall().lastedNanos());
        verdicts.clear();
        passes(10, 0, 0);
        // The share falls under 50 % after two passes; a whole window (four passes) later it is over.
        assertEquals(List.of(StallDetector.Verdict.ONGOING, StallDetector.Verdict.ONGOING, StallDetector.Verdict.ONGOING,
                StallDetector.Verdict.ONGOING, StallDetector.Verdict.ONGOING, StallDetector.Verdict.RECOVERED,
                StallDetector.Verdict.NONE, StallDetector.Verdict.NONE, StallDetector.Verdict.NONE,
                StallDetector.Verdict.NONE), verdicts);
    }

    @Test
    void recovered_carriesTheLastStallSeen_andHowLongItLasted() {
        passes(5, 0, PERIOD);
        passes(2, 0, PERIOD);
        StallDetector.Result r = null;
        for (int i = 0; i < 10 && (r == null || r.verdict() != StallDetector.Verdict.RECOVERED); i++) {
            r = pass(0, 0);
        }
        assertEquals(StallDetector.Verdict.RECOVERED, r.verdict());
        JvmStall over = r.stall();
        assertEquals(JvmStall.Cause.PAUSES, over.cause());
        assertTrue(over.lastedNanos() >= 2 * PERIOD, () -> "lasted " + over.lastedNanos());
        pass(0, 0);
        assertNull(last.stall());
    }

    @Test
    void atATinyPeriod_theHistoryStaysBounded() {
        StallDetector d = new StallDetector(MINUTE);
        long t = 0;
        long stoppedSoFar = 0;
        for (int i = 0; i < 100_000; i++) {
            t += 10 * MS;
            stoppedSoFar += MS;
            d.observe(t, new PauseTotals(stoppedSoFar, -1, List.of()), 0, 180 * S, 50, true);
        }
        assertTrue(d.historySize() <= 34, () -> "samples kept: " + d.historySize());
        assertEquals(100, d.lastStoppedPermille());
    }

    @Test
    void aStarvedStall_isNotOverWhileTheLoopIsStillLate() {
        passes(6, 0, 0);
        passes(3, 1500 * MS, 0);
        assertEquals(StallDetector.Verdict.NEW, last.verdict());
        pass(3 * S, 0); // seconds late again: the window since the last stall seen has passed, the starvation has not
        assertEquals(StallDetector.Verdict.ONGOING, last.verdict());
        pass(0, 0);
        pass(0, 0);
        assertEquals(StallDetector.Verdict.ONGOING, last.verdict(), "on time, but not yet for a whole window");
        passes(4, 0, 0);
        assertTrue(verdicts.contains(StallDetector.Verdict.RECOVERED), verdicts::toString);
    }
}
