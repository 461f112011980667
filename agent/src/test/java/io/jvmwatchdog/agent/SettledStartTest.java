package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a launch makes its watchdog: the decision alone, on a made-up clock (one look a tick). */
class SettledStartTest {

    private static final long PERIOD = TimeUnit.SECONDS.toNanos(45);
    private static final long TICK = SettledStart.TICK_NANOS;
    private static final int WINDOW_TICKS = (int) (SettledStart.WINDOW_NANOS / TICK);

    @Test
    void aStartThatStopsLoadingClassesSettlesAfterAQuietWindow() {
        SettledStart start = new SettledStart(PERIOD);
        int loads = 0;
        int tick = 0;
        for (; tick < 20; tick++) { // a framework's start: 300 classes a tick for 2 s
            loads += 300;
            assertNull(start.look(tick * TICK, loads, false, false), "still loading at tick " + tick);
        }
        for (int quiet = 1; quiet < WINDOW_TICKS; quiet++, tick++) {
            loads += 2;
            assertNull(start.look(tick * TICK, loads, false, false), "the window still holds the start's loads");
        }
        loads += 2;
        assertEquals(SettledStart.Reason.SETTLED, start.look(tick * TICK, loads, false, false),
                "0.5 s with 10 loads");
    }

    @Test
    void notBeforeAWholeWindowWasSeen() {
        SettledStart start = new SettledStart(PERIOD);
        for (int tick = 0; tick < WINDOW_TICKS; tick++) {
            assertNull(start.look(tick * TICK, 5, false, false), "tick " + tick + ": too early to tell");
        }
        assertEquals(SettledStart.Reason.SETTLED, start.look(WINDOW_TICKS * TICK, 5, false, false));
    }

    @Test
    void aWindowAtTheThresholdIsStillBusy() {
        SettledStart start = new SettledStart(PERIOD);
        int loads = 0;
        for (int tick = 0; tick < 50; tick++) {
            assertNull(start.look(tick * TICK, loads, false, false), "tick " + tick);
            loads += SettledStart.QUIET_LOADS / WINDOW_TICKS; // exactly QUIET_LOADS a window
        }
    }

    @Test
    void aStartThatNeverGoesQuietGetsItsWatchdogWhenTheFirstPassIsDue() {
        SettledStart start = new SettledStart(PERIOD);
        long ticksInPeriod = PERIOD / TICK;
        int loads = 0;
        for (long tick = 0; tick < ticksInPeriod; tick++) {
            loads += 100;
            assertNull(start.look(tick * TICK, loads, false, false));
        }
        assertEquals(SettledStart.Reason.FIRST_PASS_DUE, start.look(PERIOD, loads + 100, false, false));
    }

    @Test
    void looksThatComeEarlyDoNotShortenTheWindow() {
        SettledStart start = new SettledStart(PERIOD);
        for (int look = 0; look < 100; look++) { // woken a hundred times within 1 ms
            assertNull(start.look(look * 10_000L, 7, false, false), "quiet is counted in time, not in looks");
        }
        assertEquals(SettledStart.Reason.SETTLED, start.look(SettledStart.WINDOW_NANOS, 7, false, false));
    }

    @Test
    void aWaitingInstallGoesOnWhenHurried() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        SettledStart.Reason[] reason = new SettledStart.Reason[1];
        AtomicInteger ticks = new AtomicInteger();
        SettledStart.Start busy = new SettledStart.Start() {
            @Override
            public int classLoads() {
                return loads.addAndGet(1000);
            }

            @Override
            public boolean purgeDue() {
                return false;
            }

            @Override
            public void eachTick() {
                ticks.incrementAndGet();
            }
        };
        Thread waiting = new Thread(() -> reason[0] = SettledStart.await(busy, PERIOD));
        waiting.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loads.get() < 3000 && System.nanoTime() < deadline) { // a few looks: it waits on a busy start
            Thread.onSpinWait();
        }
        assertTrue(waiting.isAlive(), "positive control: a start that keeps loading classes is waited for");
        SettledStart.hurry();
        waiting.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiting.isAlive(), "hurried, it went on");
        assertEquals(SettledStart.Reason.ASKED, reason[0]);
        assertTrue(ticks.get() >= 2, "what the install thread does meanwhile ran at each tick: " + ticks.get());
    }

    @Test
    void manyThreadsStartedOrAnAskGoOnAtOnce() {
        SettledStart busy = new SettledStart(PERIOD);
        assertNull(busy.look(0, 1000, false, false), "positive control: a busy start waits");
        assertEquals(SettledStart.Reason.THREADS_STARTED, busy.look(TICK, 2000, true, false));
        assertEquals(SettledStart.Reason.ASKED, new SettledStart(PERIOD).look(0, 1000, true, true),
                "an ask (shutdown, attach) first");
    }
}
