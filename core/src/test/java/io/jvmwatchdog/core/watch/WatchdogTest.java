package io.jvmwatchdog.core.watch;

import static io.jvmwatchdog.core.watch.Samples.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.JvmPauses;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.PauseTotals;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WatchdogTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration PERIOD = TIMEOUT.dividedBy(4);

    static LongStream origins() {
        return LongStream.of(ThreadLocalRandom.current().nextLong(), Long.MAX_VALUE - Duration.ofMinutes(5).toNanos());
    }

    FakeTicker ticker;
    ManualBackend backend;
    RecordingReporter reporter;
    List<ThreadSample> threads;
    List<Integer> halts;
    long[] deadlocked;
    long gcNanos;
    Watchdog watchdog;
    List<Long> interruptedIds;
    AgentPauses pauses;

    Watchdog create(long origin, String options) throws Exception {
        ticker = new FakeTicker(origin);
        backend = new ManualBackend(ticker);
        reporter = new RecordingReporter();
        threads = new ArrayList<>();
        halts = new ArrayList<>();
        interruptedIds = new ArrayList<>();
        watchdog = new Watchdog(ConfigSources.fromArgument(options), ticker, () -> List.copyOf(threads), () -> deadlocked, () -> {
                    long g = gcNanos;
                    gcNanos = 0;
                    return g;
                }, reporter,
                status -> {
                    halts.add(status);
                    reporter.events.add("halt " + status);
                }, backend, sample -> {
                    interruptedIds.add(sample.threadId());
                    return Interrupter.Outcome.INTERRUPTED;
                }, pauses = new AgentPauses(ticker::read));
        stoppedNanos = 0;
        watchdog.watchStalls(fakePauses());
        return watchdog;
    }

    /** A pause source showing {@link #stoppedNanos} as full collections of 10 ms, the heap 93 % full after them. */
    JvmPauses fakePauses() {
        return new JvmPauses() {
            @Override
            public PauseTotals totals() {
                return new PauseTotals(stoppedNanos, -1, List.of(new JvmStall.Collector("Full", stoppedNanos / 10_000_000,
                        stoppedNanos / 1_000_000)));
            }

            @Override
            public int heapPercentAfterGc() {
                return 93;
            }

            @Override
            public boolean debuggerMaySuspend() {
                return false;
            }
        };
    }

    /** Stop-the-world time the JVM's counters show, for the stall check. */
    long stoppedNanos;

    /** A turn of a JVM in a death spiral: 97 % of the period stopped in collections (discounted for the threads too). */
    void spiralTurn() {
        long stopped = PERIOD.toNanos() * 97 / 100;
        stoppedNanos += stopped;
        gcNanos += stopped;
        turn();
    }

    /** The agent stops the world for {@code millis}, as a dump or a deadlock search would. */
    void agentPause(AgentPauses.Kind kind, long millis) {
        pauses.measure(kind, () -> {
            ticker.advance(Duration.ofMillis(millis));
            return null;
        });
    }

    /** Advances one period and runs the loop's turn, as the loop thread would. */
    void turn() {
        ticker.advance(PERIOD);
        watchdog.runPass();
    }

    void turns(int n) {
        for (int i = 0; i < n; i++) {
            turn();
        }
    }

    @ParameterizedTest
    @MethodSource("origins")
    void spinningTask_isReportedWithADump_withinTimeoutPlusPeriod(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "pool-1-thread-1", Thread.State.RUNNABLE, 1));
        turns(4);
        assertEquals(List.of(), reporter.events, "a quarter of the timeout per turn: not yet");
        turn();
        assertEquals(List.of("stuck pool-1-thread-1(new) +dump"), reporter.events);
        assertEquals(1, watchdog.counters().stuckDetected());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void interruptAfter_interruptsAThreadStuckThatLong_oncePerStuckEpisode(long origin) throws Exception {
        create(origin, "timeout=2s,interrupt-after=3s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(5); // stuck for 2 s: reported
        assertEquals(List.of(), interruptedIds, "reported, not yet interrupted");
        turns(1);
        assertEquals(List.of(), interruptedIds);
        turns(1); // stuck for 3 s
        assertEquals(List.of(21L), interruptedIds);
        assertEquals(List.of("stuck spin(new) +dump", "interrupted spin"), reporter.events);
        turns(10);
        assertEquals(List.of(21L), interruptedIds, "once");
        threads.set(0, task(21, "spin", Thread.State.RUNNABLE, 2)); // it moved: a new episode
        turns(7);
        assertEquals(List.of(21L, 21L), interruptedIds, "stuck again for 3 s: interrupted again");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void panicAfter_escalatesALogReportToAPanic_onceThreadsStayStuckThatLong(long origin) throws Exception {
        create(origin, "timeout=2s,panic-after=4s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events, "action=log handles the first report");
        turns(3);
        assertEquals(List.of(), halts);
        turn(); // stuck for 4 s
        assertEquals(List.of("stuck spin(new) +dump", "stuck spin +dump", "flush", "halt 70"), reporter.events);
        assertEquals(Action.PANIC, reporter.incidents.get(1).action());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void panicMinThreads_panicsOnlyWhenThatManyAreStuckInOnePass(long origin) throws Exception {
        create(origin, "timeout=2s,action=panic,panic-min-threads=2").start();
        threads.add(task(21, "first", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(List.of("stuck first(new) +dump"), reporter.events, "one is reported as under action=log");
        assertEquals(Action.LOG, reporter.incidents.get(0).action());
        threads.add(task(22, "second", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(List.of("stuck first(new) +dump", "stuck first second(new) +dump", "flush", "halt 70"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void sameOffenders_areRepeatedAtMostOnceAMinute_withoutADump(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(5);
        reporter.events.clear();
        turns(119); // 59.5 s after the first report
        assertEquals(List.of(), reporter.events);
        turn();
        assertEquals(List.of("stuck spin -dump"), reporter.events);
        assertFalse(reporter.incidents.get(1).withDump());
        assertEquals(Duration.ofMinutes(1).toNanos(), reporter.incidents.get(1).nanosSinceLastDump());
        assertEquals(1, watchdog.counters().stuckDetected(), "each offender counts once");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aNewOffender_isReportedAtOnce_butTheWholeDumpAtMostOnceAMinute_thenTheOwedOneFollows(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "first", Thread.State.RUNNABLE, 1));
        turns(5);
        threads.add(task(22, "second", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(List.of("stuck first(new) +dump", "stuck first second(new) -dump"), reporter.events,
                "the second is reported at once, its own section in place of a dump");
        assertEquals(Incident.Dump.DEFERRED, reporter.incidents.get(1).dump());
        assertEquals(Duration.ofMillis(2500).toNanos(), reporter.incidents.get(1).nanosSinceLastDump());
        assertEquals(2, watchdog.counters().stuckDetected());
        reporter.events.clear();
        turns(114); // 59.5 s after the first dump
        assertEquals(List.of(), reporter.events, "the owed dump waits out the minute");
        turn();
        assertEquals(List.of("stuck first second +dump"), reporter.events, "then it follows, once");
        turns(10);
        assertEquals(List.of("stuck first second +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aHangStorm_reportsEveryNewOffenderAtOnce_withOneDumpAMinute(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        for (int i = 0; i < 60; i++) {
            threads.add(task(100 + i, "db-" + i, Thread.State.RUNNABLE, 1));
            turn(); // one more hangs every period: 60 threads over 30 s
        }
        turns(5);
        long dumps = reporter.incidents.stream().filter(Incident::withDump).count();
        long reported = reporter.incidents.stream().flatMap(x -> x.offenders().stream()).filter(o -> o.isNew()).count();
        assertEquals(60, reported, "every one reported as new, once");
        assertEquals(1, dumps, "one whole-JVM dump in the first minute: " + reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aDumpOverThePauseBudget_isOwed_untilTheBudgetAllowsIt(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "first", Thread.State.RUNNABLE, 1));
        turns(5); // reported with a dump at 2.5 s
        turns(116);
        // 60.5 s: a dump costing 450 ms (an operator's), then a deadlock search of 200 ms. The next
        // dump, if it costs the same, would take the last minute's pauses past 600 ms.
        agentPause(AgentPauses.Kind.DUMP, 450);
        agentPause(AgentPauses.Kind.DEADLOCK_SEARCH, 200);
        threads.add(task(22, "second", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(Incident.Dump.OVER_BUDGET, reporter.incidents.get(reporter.incidents.size() - 1).dump(),
                "" + reporter.events);
        int reports = reporter.incidents.size();
        turns(114); // 120.65 s: the pauses ended 59.5 s ago
        assertEquals(reports, reporter.incidents.size(), "" + reporter.events);
        turn();
        assertEquals(Incident.Dump.TAKEN, reporter.incidents.get(reporter.incidents.size() - 1).dump(),
                "then the owed dump: " + reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void theAgentsOwnPause_isNotCountedAgainstTheThreads(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(3); // first seen at the first turn: 1 s in its state
        // 900 ms of the agent's own stop-the-world time between two turns: not late enough (1 s) to
        // count as a pause of the whole JVM by itself
        agentPause(AgentPauses.Kind.STACKS, 900);
        turn();
        assertEquals(List.of(), reporter.events, "2.4 s in its state, 0.9 s of them the agent's pause");
        turn();
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void offenderThatMovesOn_isReportedRecoveredOnce(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(5);
        threads.set(0, task(21, "spin", Thread.State.RUNNABLE, 2));
        turns(3);
        assertEquals(List.of("stuck spin(new) +dump", "recovered spin"), reporter.events);
        assertEquals(1, watchdog.counters().recovered());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void waitingTasks_andThreadsOutsideSpans_areNeverReported(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "consumer", Thread.State.WAITING, 1));
        threads.add(task(22, "poller", Thread.State.TIMED_WAITING, 1));
        turns(40);
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void panic_writesTheReportFlushesThenHalts_withStatus70(long origin) throws Exception {
        create(origin, "timeout=2s,action=panic").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(5);
        assertEquals(List.of("stuck spin(new) +dump", "flush", "halt 70"), reporter.events);
        assertEquals(Action.PANIC, reporter.incidents.get(0).action());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void loopMoreThanASecondLate_discountsTheWholeGap(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turn();
        ticker.advance(Duration.ofMinutes(3)); // SIGSTOP, a long GC, a starved host
        watchdog.runPass();
        turns(3);
        assertEquals(List.of(), reporter.events, "the paused time never counts");
        turns(1);
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void loopLessThanASecondLate_discountsNothing(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turn();
        ticker.advance(PERIOD.plus(Duration.ofMillis(900)));
        watchdog.runPass();
        turns(2);
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void samplingThatOverrunsTheTimeout_underPanic_takesTheActionAtTheDeadline(long origin) throws Exception {
        ticker = null;
        create(origin, "timeout=2s");
        Watchdog slow = new Watchdog(ConfigSources.fromArgument("timeout=2s,action=panic"), ticker, () -> {
            ticker.advance(TIMEOUT.plusSeconds(30)); // never ends in time
            return List.of();
        }, () -> null, () -> 0L, reporter, status -> reporter.events.add("halt " + status), backend);
        slow.start();
        ticker.advance(PERIOD);
        slow.runPass();
        assertEquals(List.of("watchdog-stuck", "flush", "halt 70"), reporter.events,
                "the watchdog cannot see the threads it should panic for: it panics");
        assertEquals(1, slow.counters().watchdogStuck());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void samplingThatOverrunsTheTimeout_reportsTheWatchdogStuck(long origin) throws Exception {
        ticker = null;
        create(origin, "timeout=2s");
        Watchdog slow = new Watchdog(ConfigSources.fromArgument("timeout=2s"), ticker, () -> {
            ticker.advance(TIMEOUT);
            return List.of();
        }, () -> null, () -> 0L, reporter, halts::add, backend);
        slow.start();
        ticker.advance(PERIOD);
        slow.runPass();
        assertEquals(List.of("watchdog-stuck"), reporter.events);
        assertEquals(1, slow.counters().watchdogStuck());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void startAndStop_areIdempotent_andRestartable(long origin) throws Exception {
        create(origin, "timeout=2s");
        watchdog.start();
        watchdog.start();
        assertEquals(List.of("watchdog"), backend.started);
        assertTrue(watchdog.isRunning());
        watchdog.stop();
        watchdog.stop();
        assertEquals(List.of("watchdog"), backend.stopped);
        assertFalse(watchdog.isRunning());
        assertTrue(watchdog.isStartCalled(), "startCalled stays true across stops");
        watchdog.start();
        assertEquals(List.of("watchdog", "watchdog"), backend.started);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void zeroTimeout_startsNoLoop(long origin) throws Exception {
        create(origin, "timeout=0").start();
        assertEquals(List.of(), backend.started);
        assertFalse(watchdog.isRunning());
        assertTrue(watchdog.isStartCalled());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void reconfigure_appliesTheNewTimeout_andKeepsRunning(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(2);
        watchdog.reconfigure(ConfigSources.fromArgument("timeout=10s"));
        assertTrue(watchdog.isRunning());
        assertEquals(List.of("watchdog", "watchdog"), backend.started);
        turns(20);
        assertEquals(List.of(), reporter.events, "10 s of observation are not yet past: the old 2 s no longer counts");
        turn();
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void reconfigure_fromZeroTimeout_startsTheLoop(long origin) throws Exception {
        create(origin, "timeout=0").start();
        watchdog.reconfigure(ConfigSources.fromArgument("timeout=2s"));
        assertTrue(watchdog.isRunning());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void readinessNeverSignalled_firesTheStartupActionOnce_atTheStartupTimeout(long origin) throws Exception {
        create(origin, "ready=a.App#ready,startup-timeout=30s");
        watchdog.awaitReadiness();
        assertEquals(List.of("watchdog-startup"), backend.started);
        ticker.advance(Duration.ofSeconds(30).minusNanos(1));
        watchdog.checkStartup();
        assertEquals(List.of(), reporter.events);
        ticker.advance(Duration.ofNanos(1));
        watchdog.checkStartup();
        ticker.advance(Duration.ofMinutes(5));
        watchdog.checkStartup();
        assertEquals(List.of("startup-timeout a.App#ready log"), reporter.events);
        assertEquals(1, watchdog.counters().startupTimeouts());
        assertFalse(watchdog.isRunning(), "the loop waits for readiness");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void readinessInTime_startsTheLoop_andNoStartupReport(long origin) throws Exception {
        create(origin, "ready=a.App#ready,startup-timeout=30s");
        watchdog.awaitReadiness();
        ticker.advance(Duration.ofSeconds(29));
        watchdog.signalReady();
        assertEquals(1, backend.wakes, "the signal only wakes the startup loop");
        watchdog.checkStartup();
        assertTrue(watchdog.isRunning());
        ticker.advance(Duration.ofMinutes(5));
        watchdog.checkStartup();
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void lateReadiness_afterTheStartupReport_stillStartsTheLoop(long origin) throws Exception {
        create(origin, "ready=a.App#ready,startup-timeout=1s");
        ticker.advance(Duration.ofSeconds(1));
        watchdog.checkStartup();
        watchdog.signalReady();
        watchdog.checkStartup();
        assertTrue(watchdog.isRunning());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void startupActionPanic_halts(long origin) throws Exception {
        create(origin, "ready=a.App#ready,startup-timeout=1s,startup-action=panic");
        ticker.advance(Duration.ofSeconds(1));
        watchdog.checkStartup();
        assertEquals(List.of("startup-timeout a.App#ready panic", "flush", "halt 70"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void zeroStartupTimeout_neverFires(long origin) throws Exception {
        create(origin, "ready=a.App#ready,startup-timeout=0");
        ticker.advance(Duration.ofHours(1));
        watchdog.checkStartup();
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void deadlock_isReportedOnceSeen_andSearchedOnlyWhenCandidatesChange(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        ThreadSample a0 = Samples.unwatched(1, "A", Thread.State.BLOCKED);
        ThreadSample b0 = Samples.unwatched(2, "B", Thread.State.BLOCKED);
        threads.add(Samples.waitingOn(a0, new LockRef("java.lang.Object", 0xb), b0));
        threads.add(Samples.waitingOn(b0, new LockRef("java.lang.Object", 0xa), a0));
        deadlocked = new long[] {1, 2};
        turn();
        assertEquals(0, watchdog.counters().deadlockSearches(), "not yet waited a quarter of the timeout");
        turn();
        assertEquals(1, watchdog.counters().deadlockSearches());
        assertEquals(List.of("stuck A(new) B(new) +dump"), reporter.events, "a cycle is proof: no need to wait the timeout");
        assertEquals(StuckReason.DEADLOCK, reporter.incidents.get(0).offenders().get(0).reason());
        turns(10);
        assertEquals(1, watchdog.counters().deadlockSearches(), "a known deadlock is not searched again");
        assertEquals(2, watchdog.counters().stuckDetected());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void healthyThreads_neverCauseADeadlockSearch(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(Samples.unwatched(1, "idle", Thread.State.WAITING));
        threads.add(task(2, "busy", Thread.State.RUNNABLE, 1));
        for (int i = 0; i < 20; i++) {
            threads.set(1, task(2, "busy", Thread.State.RUNNABLE, i));
            turn();
        }
        assertEquals(0, watchdog.counters().deadlockSearches());
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void stopTheWorldGcTime_isTakenOffEveryonesTimeInState(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turns(2);
        gcNanos = Duration.ofMillis(400).toNanos(); // a collection inside a turn that was not late
        turns(3);
        assertEquals(List.of(), reporter.events, "without the GC it would be reported now");
        turn();
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aVerdictFallingInADetectedPause_isDeferredOnePass(long origin) throws Exception {
        create(origin, "timeout=8s");
        watchdog.start();
        Duration period = Duration.ofSeconds(2);
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        for (int i = 0; i < 4; i++) {
            ticker.advance(period);
            watchdog.runPass();
        }
        ticker.advance(period);
        gcNanos = Duration.ofMillis(1500).toNanos(); // a long collection: 2 s turn, 1.5 s of it stopped
        watchdog.runPass();
        assertEquals(List.of(), reporter.events, "stuck by the clock, but the pause decides nothing");
        for (int i = 0; i < 2; i++) {
            ticker.advance(period);
            watchdog.runPass();
        }
        assertEquals(List.of("stuck spin(new) +dump"), reporter.events, "still stuck afterwards: reported");
    }

    /**
     * A collection that starts while a pass samples (after the pass read the GC counters, before it
     * read the clock for its verdicts) is discounted and defers verdicts like one between passes, and
     * it does not count against the sampler's deadline. Found by GcPauseIT: a healthy task was
     * reported and "the watchdog is stuck" raised.
     */
    @ParameterizedTest
    @MethodSource("origins")
    void aCollectionDuringTheSampling_isDiscountedAndIsNoWatchdogOverrun(long origin) throws Exception {
        ticker = null;
        create(origin, "timeout=2s");
        boolean[] collectNow = {false};
        Watchdog w = new Watchdog(ConfigSources.fromArgument("timeout=2s"), ticker, () -> {
            if (collectNow[0]) {
                collectNow[0] = false;
                ticker.advance(Duration.ofMillis(2500));     // the world stops for longer than the timeout
                gcNanos += Duration.ofMillis(2500).toNanos();
            }
            return List.copyOf(threads);
        }, () -> null, () -> {
            long g = gcNanos;
            gcNanos = 0;
            return g;
        }, reporter, halts::add, backend);
        w.start();
        threads.add(task(21, "busy", Thread.State.RUNNABLE, 1));
        ticker.advance(PERIOD);
        w.runPass();
        ticker.advance(PERIOD);
        collectNow[0] = true;
        w.runPass();
        assertEquals(List.of(), reporter.events, "the pause is no progress lost, and no sampler overrun");
        assertEquals(0, w.counters().watchdogStuck());
        threads.set(0, task(21, "busy", Thread.State.RUNNABLE, 2)); // it moved on after the pause
        ticker.advance(PERIOD);
        w.runPass();
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aDeathSpiral_isAJvmStall_toldWithADump_thenOnceAMinute_thenItsEnd(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        for (int i = 0; i < 4; i++) {
            spiralTurn();
        }
        assertEquals(List.of(), reporter.events, "less than a whole timeout watched");
        spiralTurn();
        assertEquals(List.of("jvm-stall pauses +dump"), reporter.events);
        assertEquals(1, watchdog.counters().jvmStalls());
        assertEquals(970, watchdog.stoppedPermille());
        for (int i = 0; i < 2 * 60 - 1; i++) {
            spiralTurn();
        }
        assertEquals(List.of("jvm-stall pauses +dump"), reporter.events);
        spiralTurn();
        assertEquals(List.of("jvm-stall pauses +dump", "jvm-stall pauses repeat -dump"), reporter.events,
                "a minute later, a reminder without a dump");
        turns(4); // still 72.75 % stopped after the first turn, 48.5 % after the second: then a whole timeout (four turns)
        assertEquals(List.of("jvm-stall pauses +dump", "jvm-stall pauses repeat -dump"), reporter.events,
                "not over until a whole timeout without a stall");
        turn();
        assertEquals(List.of("jvm-stall pauses +dump", "jvm-stall pauses repeat -dump", "recovered stall pauses"),
                reporter.events);
        assertEquals(1, watchdog.counters().jvmStalls());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aDeathSpiral_underPanic_isToldThenTheJvmHalted(long origin) throws Exception {
        create(origin, "timeout=2s,action=panic").start();
        for (int i = 0; i < 5; i++) {
            spiralTurn();
        }
        assertEquals(List.of("jvm-stall pauses +dump", "flush", "halt 70"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aStallThatLastsPanicAfter_escalatesToAPanic(long origin) throws Exception {
        create(origin, "timeout=2s,panic-after=5s").start();
        for (int i = 0; i < 5; i++) {
            spiralTurn();
        }
        assertEquals(List.of("jvm-stall pauses +dump"), reporter.events);
        for (int i = 0; i < 9; i++) {
            spiralTurn();
        }
        assertEquals(List.of(), halts, "lasted 4.5s");
        spiralTurn();
        assertEquals(List.of("jvm-stall pauses +dump", "jvm-stall pauses +dump", "flush", "halt 70"), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void stallThresholdZero_turnsTheWholeJvmCheckOff(long origin) throws Exception {
        create(origin, "timeout=2s,stall-threshold=0").start();
        for (int i = 0; i < 20; i++) {
            spiralTurn();
        }
        assertEquals(List.of(), reporter.events);
        assertEquals(-1, watchdog.stoppedPermille());
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aLoopLatePassAfterPass_isAStarvedJvm_notDeferredForever(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        threads.add(task(21, "spin", Thread.State.RUNNABLE, 1));
        turn();
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofMillis(1500)); // the loop gets a core 1.5 s late, every time
            turn();
        }
        assertEquals(List.of("jvm-stall starved +dump"), reporter.events,
                "a starved JVM is told; its threads' verdicts stay deferred (they could not run either)");
    }

    @ParameterizedTest
    @MethodSource("origins")
    void aSingleLongStop_isNeitherAStallNorAStuckThread(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        turns(8);
        assertEquals(0, watchdog.stoppedPermille(), "the check was watching");
        ticker.advance(Duration.ofMinutes(3)); // SIGSTOP
        turns(40);
        assertEquals(List.of(), reporter.events);
    }

    @ParameterizedTest
    @MethodSource("origins")
    void theStallSourceSetAfterTheLoopStarted_startsTheHistoryAfresh(long origin) throws Exception {
        create(origin, "timeout=2s").start();
        JvmPauses counting = fakePauses();
        watchdog.watchStalls(JvmPauses.NONE);
        turns(8);
        stoppedNanos = Duration.ofMinutes(5).toNanos(); // the JVM's totals since it started
        watchdog.watchStalls(counting);
        turns(8);
        assertEquals(List.of(), reporter.events, "five minutes since JVM start are not five minutes in this window");
        assertEquals(0, watchdog.stoppedPermille());
    }
}
