package io.jvmwatchdog.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampler's shortcut never skips a thread the rule could call stuck. */
class StuckRuleTest {

    private static final long TIMEOUT = 1_000_000_000L;
    private static final long FOREVER = Long.MAX_VALUE / 2;

    private static ThreadSample sample(UnitKind unit, WaitKind wait, Thread.State state) {
        return new ThreadSample(1, "t", false, null, unit, unit == UnitKind.NONE ? null : "x.Y.run", null, 1, wait,
                wait == null ? null : "x.Y.call", state, 0, 0, null, -1, null, false);
    }

    /**
     * Every unit, wait kind and pinned flag the shortcut skips is healthy by the rule in every JVM
     * state a thread inside that call can show (a park or sleep is never BLOCKED on a monitor), however
     * long it lasts.
     */
    @Test
    void whatTheShortcutSkipsTheRuleNeverCallsStuck() {
        List<String> skipped = new ArrayList<>();
        List<WaitKind> waits = new ArrayList<>(List.of(WaitKind.values()));
        waits.add(null);
        for (UnitKind unit : UnitKind.values()) {
            for (WaitKind wait : waits) {
                for (boolean pinned : new boolean[] {false, true}) {
                    if (!StuckRule.healthyWhateverItsLength(unit == UnitKind.BUDGETED, pinned, false, wait)) {
                        continue;
                    }
                    skipped.add(unit + "/" + wait);
                    for (Thread.State state : Thread.State.values()) {
                        if (state == Thread.State.BLOCKED) {
                            continue;
                        }
                        assertNull(StuckRule.reason(sample(unit, wait, state), FOREVER, TIMEOUT),
                                unit + " " + wait + " " + state + " pinned=" + pinned);
                    }
                }
            }
        }
        // Positive control: the shortcut does skip the idle crowds it is for.
        assertTrue(skipped.contains("TASK/PARK") && skipped.contains("NONE/SLEEP"), skipped.toString());
    }

    @Test
    void whatTheRuleCanCallStuckIsNeverSkipped() {
        // A budgeted unit is stuck in any state past its budget, a park included.
        assertEquals(StuckReason.BUDGET_EXCEEDED,
                StuckRule.reason(sample(UnitKind.BUDGETED, WaitKind.PARK, Thread.State.WAITING), FOREVER, TIMEOUT));
        assertFalse(StuckRule.healthyWhateverItsLength(true, false, false, WaitKind.PARK));
        // A park that pins a virtual thread's carrier is a hang.
        assertEquals(StuckReason.PINNED,
                StuckRule.reason(sample(UnitKind.TASK, WaitKind.PINNED, Thread.State.WAITING), FOREVER, TIMEOUT));
        assertFalse(StuckRule.healthyWhateverItsLength(false, true, false, WaitKind.PARK));
        // A task in an uninterruptible wait.
        assertEquals(StuckReason.UNINTERRUPTIBLE_WAIT,
                StuckRule.reason(sample(UnitKind.TASK, WaitKind.SOCKET_READ, Thread.State.RUNNABLE), FOREVER, TIMEOUT));
        assertFalse(StuckRule.healthyWhateverItsLength(false, false, false, WaitKind.SOCKET_READ));
        // A worker waiting inside a job of a pool with work queued: the pool rule may call it starved.
        assertTrue(StuckRule.starved(2, 2, 1));
        for (WaitKind wait : WaitKind.values()) {
            assertFalse(StuckRule.healthyWhateverItsLength(false, false, true, wait), wait.name());
        }
        // With nothing queued, no pool is starved, so its parked workers may be skipped.
        assertFalse(StuckRule.starved(2, 2, 0));
        assertTrue(StuckRule.healthyWhateverItsLength(false, false, false, WaitKind.PARK));
    }

    @Test
    void aPoolIsStarvedOnlyWhenEveryWorkerWaitsAndWorkIsQueued() {
        assertTrue(StuckRule.starved(4, 4, 1));
        assertFalse(StuckRule.starved(4, 3, 10), "one worker is free, or running: it takes the queued work");
        assertFalse(StuckRule.starved(4, 4, 0), "nothing queued: the workers wait on something else");
        assertFalse(StuckRule.starved(0, 0, 5), "a pool with no worker yet is not starved by its workers");
    }
}
