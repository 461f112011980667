package io.jvmwatchdog.core.watch;

import static io.jvmwatchdog.core.watch.Samples.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.model.ThreadSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loops themselves, on fake time: the watchdog loop's schedule, the startup loop and the shutdown
 * deadline, run by {@link SimulatedBackend} as production threads would run them, with no sleep.
 */
class WatchdogLoopTest {

    static LongStream origins() {
        return LongStream.of(ThreadLocalRandom.current().nextLong(), Long.MAX_VALUE - Duration.ofMinutes(5).toNanos());
    }

    private FakeTicker ticker;
    private SimulatedBackend backend;
    private RecordingReporter reporter;
    private final List<ThreadSample> threads = new ArrayList<>();
    private final AtomicInteger samplings = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private Watchdog watchdog;

    private Watchdog create(long origin, String options) throws Exception {
        ticker = new FakeTicker(origin);
        backend = new SimulatedBackend(ticker);
        reporter = new RecordingReporter();
        io.jvmwatchdog.core.jvm.ThreadSampler sampler = new io.jvmwatchdog.core.jvm.ThreadSampler() {
            @Override
            public List<ThreadSample> sample() {
                samplings.incrementAndGet();
                return List.copyOf(threads);
            }

            @Override
            public void releaseEnded() {
                releases.incrementAndGet();
            }
        };
        watchdog = new Watchdog(ConfigSources.fromArgument(options), ticker, sampler, () -> null, () -> 0L, reporter,
                status -> reporter.events.add("halt " + status), backend, s -> Interrupter.Outcome.INTERRUPTED,
                new AgentPauses(ticker::read));
        return watchdog;
    }

    @AfterEach
    void endLoops() {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @MethodSource("origins")
    void theLoopPassesOncePerPeriod_andCatchesAStuckTaskWithinTimeoutPlusPeriod(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        backend.runDue();
        assertEquals(0, samplings.get(), "the first pass comes a period after start");
        backend.advance(Duration.ofMillis(499));
        assertEquals(0, samplings.get(), "nothing before the period is up");
        assertTrue(releases.get() >= 1, "between passes the loop releases ended threads");
        backend.advance(Duration.ofMillis(1));
        assertEquals(1, samplings.get(), "a pass every 500 ms");
        backend.advance(Duration.ofMillis(1500));
        assertEquals(4, samplings.get());
        assertEquals(List.of(), reporter.events, "first seen at the first pass: 1.5 s in state");
        backend.advance(Duration.ofMillis(500));
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events, "2 s in state");
        assertEquals(5, samplings.get());
        assertEquals(5, watchdog.counters().passes());

        watchdog.stop();
        assertFalse(backend.running("watchdog"), "stop ends the loop's body");
        backend.advance(Duration.ofSeconds(10));
        assertEquals(5, samplings.get(), "no pass after stop");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aWatchdogMadeLatePassesAtOnce_andTimesAStuckTaskFromThatPass(long origin) throws Exception {
        create(origin, "timeout=2s").startWithPassNow();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1)); // stuck since before the watchdog existed
        backend.runDue();
        assertEquals(1, samplings.get(), "the first pass at once, not a period later");
        assertTrue(watchdog.isRunning());
        backend.advance(Duration.ofMillis(499));
        assertEquals(1, samplings.get());
        backend.advance(Duration.ofMillis(1));
        assertEquals(2, samplings.get(), "then a pass every 500 ms");
        backend.advance(Duration.ofMillis(1499));
        assertEquals(List.of(), reporter.events, "1.999 s since the first pass saw it");
        backend.advance(Duration.ofMillis(1));
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events, "2 s after the first pass: the timeout");
        assertEquals(0, watchdog.counters().jvmStalls(), "a first pass at once is not a late one");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aReconfiguredPeriodTakesEffectAtTheNextTurn(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        backend.runDue();
        watchdog.reconfigure(ConfigSources.fromArgument("timeout=8s"));
        backend.runDue();
        int before = samplings.get();
        backend.advance(Duration.ofSeconds(10));
        assertEquals(before + 5, samplings.get(), "a pass every 2 s (8 s / 4)");
        assertEquals(List.of("watchdog", "watchdog"), backend.started);
        assertEquals(List.of("watchdog"), backend.stopped);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void theStartupLoopReportsAMissedDeadlineOnce_andStartsTheWatchdogAtTheSignal(long origin) throws Exception {
        create(origin, "timeout=2s,ready=com.example.App#ready,startup-timeout=30s");
        watchdog.awaitReadiness();
        backend.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), reporter.events);
        backend.advance(Duration.ofSeconds(1));
        assertEquals(List.of("startup-timeout com.example.App#ready log"), reporter.events);
        backend.advance(Duration.ofMinutes(2));
        assertEquals(1, watchdog.counters().startupTimeouts(), "once");
        assertFalse(watchdog.isRunning());

        watchdog.signalReady(); // an application thread: wakes the startup loop, nothing more
        assertFalse(watchdog.isRunning(), "the startup loop starts it, not the application's thread");
        backend.runDue();
        assertTrue(watchdog.isRunning());
        backend.advance(Duration.ofSeconds(1));
        assertFalse(backend.running("watchdog-startup"), "its work done, the startup loop ends");
        assertEquals(2, samplings.get(), "the watchdog loop runs, a pass every 500 ms");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void startupPanicHalts(long origin) throws Exception {
        create(origin, "ready=com.example.App#ready,startup-timeout=5s,startup-action=panic");
        watchdog.awaitReadiness();
        backend.advance(Duration.ofSeconds(5));
        assertEquals(List.of("startup-timeout com.example.App#ready panic", "flush", "halt 70"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aShutdownThatOutlastsShutdownTimeoutIsHalted_afterItsReport(long origin) throws Exception {
        create(origin, "timeout=2s,shutdown-timeout=10s").start();
        watchdog.shutdownStarted();
        backend.advance(Duration.ofMillis(9_999));
        assertFalse(reporter.events.contains("halt 70"), reporter.events.toString());
        backend.advance(Duration.ofMillis(1));
        int at = reporter.events.indexOf("shutdown-timeout");
        assertTrue(at >= 0 && reporter.events.subList(at, reporter.events.size()).equals(
                List.of("shutdown-timeout", "flush", "halt 70")), reporter.events.toString());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void withoutShutdownTimeoutAShutdownIsNeverTimed(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        watchdog.shutdownStarted();
        backend.advance(Duration.ofHours(1));
        assertFalse(backend.started.contains("watchdog-shutdown"));
        assertFalse(reporter.events.contains("halt 70"));
        assertTrue(watchdog.counters().passes() > 7000, "the loop ran meanwhile: " + watchdog.counters().passes());
    }
}
