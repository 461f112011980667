package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.base.StderrSink;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.detect.StallDetector;
import io.jvmwatchdog.core.detect.StuckDetector;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.BusyThreads;
import io.jvmwatchdog.core.jvm.DeadlockFinder;
import io.jvmwatchdog.core.jvm.JdkPools;
import io.jvmwatchdog.core.jvm.JvmPauses;
import io.jvmwatchdog.core.jvm.ThreadSampler;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.report.Incident;
import io.jvmwatchdog.core.report.ReportText;
import io.jvmwatchdog.core.report.Reporter;
import io.jvmwatchdog.core.report.WatchdogEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The watchdog: a loop that wakes every period, samples the watched threads, and reports those stuck
 * in one state past the timeout. A port of gVisor's sentry watchdog (see the package documentation).
 *
 * <p>Lifecycle, as in the seed: created at premain; {@link #start()} (at once, or when the application
 * signals readiness) and {@link #stop()} are idempotent; {@code startCalled} stays true across stops;
 * a stopped watchdog can be started again, with new options through {@link #reconfigure(Options)}.
 *
 * <p>Threads: {@link #start()}, {@link #stop()}, {@link #reconfigure} and {@link #signalReady()} may be
 * called from any thread; {@link #runPass()} and {@link #checkStartup()} only from the loops (or a
 * test), one at a time. {@link #signalReady()} is the only one an application thread calls: it sets a
 * flag and wakes a loop, nothing more.
 */
public final class Watchdog {

    /** Scheduling more than this late means the JVM did not run: the detector discounts the whole gap. */
    static final long DESCHEDULE_THRESHOLD_NANOS = StuckDetector.DESCHEDULE_THRESHOLD_NANOS;
    /** The same offenders are reported again, without a dump, at most this often. */
    static final long REPEAT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * At most one whole-JVM dump this often, however many new offenders appear: a dump stops every
     * thread, and in a hang storm dumps in a row would be an outage of their own. Each new offender
     * is still reported at once, with its own stack; a dump owed meanwhile follows once allowed.
     */
    static final long DUMP_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * Panic ends the JVM within {@code timeout + period + 2 s}: detection takes up to timeout +
     * period, then the report gets at most this (its evidence takes milliseconds; the whole-JVM dump,
     * the JFR recordings and the dump file what is left), stderr the flush bound below, and the halt
     * itself {@link Terminator#HALT_GRACE_NANOS}. Nothing the report path waits on can be held by the
     * application (see StderrSink), so the bounds are there for a slow disk or a huge dump.
     */
    static final long PANIC_REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /**
     * A JVM halted for a stall gets longer for its report: in a death spiral every allocation the
     * report makes waits for a collection of its own, and the event line alone took 1.3 s here (a
     * 256 MB heap 93 % live, full collections of 22 ms back to back).
     */
    static final long STALL_PANIC_REPORT_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** The seed flushes metrics for at most a second before panicking; stderr gets half of that. */
    static final long PANIC_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Loop thread only: when the sampler's deadline was last checked, and GC seen during this pass. */
    private long overrunCheckNanos;
    private long passGcNanos;

    private final Ticker ticker;
    private final ThreadSampler sampler;
    private final DeadlockFinder deadlocks;
    private final LongSupplier gcPauseNanos;
    private final Reporter reporter;
    private final Terminator terminator;
    private final LoopBackend backend;
    private final Interrupter interrupter;
    private final AgentPauses pauses;
    private final StuckDetector detector = new StuckDetector(new JdkPools());
    private final StallDetector stalls = new StallDetector(REPEAT_INTERVAL_NANOS);
    private volatile JvmPauses jvmPauses = JvmPauses.NONE;
    /** Loop thread only: the source the stall check's history came from (another one starts it afresh). */
    private JvmPauses stallSource = JvmPauses.NONE;
    private final Counters counters = new Counters();
    private volatile long startupSinceNanos;

    private final Object lock = new Object();
    private volatile Options options;
    private volatile boolean startCalled;
    private volatile boolean readySignalled;
    private boolean running; // guarded by lock
    private volatile LoopBackend.Loop loop; // written under lock; read without it by wakeToReleaseEnded
    private LoopBackend.Loop startupLoop; // guarded by lock

    // Owned by whichever thread runs passes (the loop, or a test); passes never overlap.
    private long lastRunNanos;
    private long lastReportNanos;
    /** Guarded by dumpLock: the loop and an operator's reportNow both take dumps. */
    private final Object dumpLock = new Object();
    private long lastDumpNanos;
    private boolean dumpTaken;
    /** Offenders were reported without the dump they should have had: the first pass allowed to take it does. */
    private boolean dumpOwed;
    private boolean startupReported;
    private volatile List<Offender> offenders = List.of();
    private volatile List<StuckDetector.Watched> watched = List.of();
    /** The agent's blind spots (threads busy outside any unit), looked at once per timeout; null: not looked at. */
    private volatile BusyThreads blindSpots;
    /** Told after each pass (and at start): the agent publishes the status for the CLI's status. */
    private volatile Runnable passListener = () -> { };
    /** Offenders interrupted in their current stuck episode (interrupt-after: once each). */
    private final Set<Long> interrupted = new HashSet<>();

    /**
     * @param gcPauseNanos stop-the-world collection time since its previous call (see
     *     {@code GcPauses}); a test passes its own
     */
    public Watchdog(Options options, Ticker ticker, ThreadSampler sampler, DeadlockFinder deadlocks,
                    LongSupplier gcPauseNanos, Reporter reporter, Terminator terminator, LoopBackend backend) {
        this(options, ticker, sampler, deadlocks, gcPauseNanos, reporter, terminator, backend, Interrupter.platform(),
                new AgentPauses(ticker::read));
    }

    /**
     * @param pauses the agent's own stop-the-world time, which the dumper and the deadlock finder
     *     count: taken off every tracked thread like a collection, and the budget dumps must fit
     */
    public Watchdog(Options options, Ticker ticker, ThreadSampler sampler, DeadlockFinder deadlocks,
                    LongSupplier gcPauseNanos, Reporter reporter, Terminator terminator, LoopBackend backend,
                    Interrupter interrupter, AgentPauses pauses) {
        this.interrupter = interrupter;
        this.pauses = pauses;
        this.gcPauseNanos = gcPauseNanos;
        this.options = options;
        this.ticker = ticker;
        this.sampler = sampler;
        this.deadlocks = deadlocks;
        this.reporter = reporter;
        this.terminator = terminator;
        this.backend = backend;
        this.startupSinceNanos = ticker.read();
    }

    public Options options() {
        return options;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * Runs {@code listener} at start and after each pass, on the loop's thread: what status views
     * publish must be cheap and never throw into the loop (failures are counted as loop failures).
     */
    public void onPass(Runnable listener) {
        this.passListener = listener;
    }

    /** Looks for threads busy outside any unit once per timeout, for the status views. */
    public void showBlindSpots(BusyThreads busyThreads) {
        this.blindSpots = busyThreads;
    }

    /**
     * Where the whole-JVM check reads the JVM's stop-the-world time; without it (a test of the loop
     * alone) only a starved loop can be a stall.
     */
    public void watchStalls(JvmPauses source) {
        this.jvmPauses = source;
    }

    /** The share of the last timeout the JVM was stopped, in tenths of a percent; -1 before a whole timeout (status). */
    public int stoppedPermille() {
        return stalls.lastStoppedPermille();
    }

    /** Threads that used a core steadily for a whole timeout outside any unit, as of the last look. */
    public List<BusyThreads.Busy> unwatchedBusy() {
        BusyThreads b = blindSpots;
        return b == null ? List.of() : b.busy();
    }

    /** The agent's own stop-the-world time (JMX, status). */
    public AgentPauses pauses() {
        return pauses;
    }

    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    public boolean isStartCalled() {
        return startCalled;
    }

    /** Starts the loop (idempotent). With a zero timeout, stuck-thread checking stays off, as in the seed. */
    public void start() {
        start(false);
    }

    /**
     * Starts the loop with its first pass at once rather than a period from now: for a watchdog made
     * once the application's start settled, whose threads have run (and may be stuck) since
     * {@code main}. A thread is timed from the first pass that sees it, so that pass must not wait
     * another period.
     */
    public void startWithPassNow() {
        start(true);
    }

    private void start(boolean passNow) {
        synchronized (lock) {
            startCalled = true;
            if (running) {
                return;
            }
            Options o = options;
            if (!o.stuckCheckEnabled()) {
                reporter.info("JVM Watchdog: stuck-thread checking disabled (timeout=0)");
                return;
            }
            lastRunNanos = ticker.read() - (passNow ? o.period().toNanos() : 0);
            detector.reset();
            stalls.reset();
            reporter.info("JVM Watchdog started: timeout " + Durations.format(o.timeout()) + ", period "
                    + Durations.format(o.period()) + ", action " + o.action().optionValue());
            loop = backend.start("watchdog", this::runLoop);
            running = true;
        }
        tellPassListener();
    }

    private void tellPassListener() {
        try {
            passListener.run();
        } catch (RuntimeException e) {
            if (counters.loopFailures.getAndIncrement() == 0) {
                reporter.info("JVM Watchdog: publishing the status failed (reported once): " + e);
            }
        }
    }

    /** Stops the loop and waits (boundedly) for it to finish its turn. Idempotent. */
    public void stop() {
        LoopBackend.Loop stopping;
        synchronized (lock) {
            if (!running) {
                return;
            }
            stopping = loop;
            loop = null;
            running = false;
        }
        stopping.stop(STOP_WAIT_MILLIS);
        reporter.info("JVM Watchdog stopped");
    }

    /**
     * Stops, takes the new options, and starts again if it was running (or was started with checking
     * disabled by a zero timeout, which the new options may enable).
     */
    public void reconfigure(Options newOptions) {
        synchronized (lock) {
            boolean restart = running || (startCalled && !options.stuckCheckEnabled());
            stop();
            options = newOptions;
            if (restart) {
                start();
            }
        }
    }

    /**
     * Arms the startup check: when readiness is configured, the loop starts at the readiness signal,
     * and the startup action fires if the signal has not come within the startup timeout.
     */
    public void awaitReadiness() {
        synchronized (lock) {
            if (startupLoop == null) {
                // The startup window opens now, once the agent is installed: its own install time
                // (a second or more on a loaded machine) is not the application's startup.
                startupSinceNanos = ticker.read();
                startupLoop = backend.start("watchdog-startup", this::runStartupLoop);
            }
        }
    }

    /** The application is ready. Called on an application thread: sets a flag and wakes a loop. */
    public void signalReady() {
        readySignalled = true;
        LoopBackend.Loop l = startupLoop;
        if (l != null) {
            l.wake();
        }
    }

    /**
     * The startup loop's turn: starts the watchdog once readiness is signalled; reports once when the
     * startup timeout passes first.
     */
    public void checkStartup() {
        if (startCalled) {
            return;
        }
        if (readySignalled) {
            start();
            return;
        }
        Options o = options;
        Duration startupTimeout = o.startupTimeout();
        if (startupReported || startupTimeout.isZero()
                || ticker.read() - startupSinceNanos < startupTimeout.toNanos()) {
            return;
        }
        startupReported = true;
        counters.startupTimeouts.incrementAndGet();
        String signal = o.ready().map(Object::toString).orElse("ready");
        Action action = o.startupAction();
        if (action == Action.PANIC) {
            panic(() -> reporter.report(new WatchdogEvent.StartupTimeout(startupTimeout, signal, action)));
        } else {
            reporter.report(new WatchdogEvent.StartupTimeout(startupTimeout, signal, action));
        }
    }

    /** One turn over the watched threads. */
    public void runPass() {
        Options o = options;
        long timeoutNanos = o.timeout().toNanos();
        long periodNanos = o.period().toNanos();
        long start = ticker.read();
        // A turn more than a second late means this JVM was not running (CPU starvation, a
        // stop-the-world pause, SIGSTOP); otherwise stop-the-world GC time since the last turn may
        // still have stopped everyone: the detector discounts either.
        long latenessNanos = start - lastRunNanos - periodNanos;
        List<StuckDetector.Pause> pauses = new ArrayList<>(2);
        pauses.add(new StuckDetector.Pause(start - lastRunNanos, latenessNanos > DESCHEDULE_THRESHOLD_NANOS,
                pauseNanosSinceAsked()));
        lastRunNanos = start;
        if (watchStall(start, latenessNanos, o)) {
            return;
        }

        // Watch the watchdog: sampling runs elsewhere with a deadline of one timeout. A deadline that
        // passes while the JVM was paused (a collection, or the loop descheduled) proves nothing
        // about the sampler: wait another round.
        overrunCheckNanos = start;
        passGcNanos = 0;
        List<ThreadSample> samples = backend.callWithDeadline(sampler::sample, timeoutNanos, () -> {
            long gcMeanwhile = pauseNanosSinceAsked();
            passGcNanos += gcMeanwhile;
            long t = ticker.read();
            boolean late = t - overrunCheckNanos > timeoutNanos + DESCHEDULE_THRESHOLD_NANOS;
            overrunCheckNanos = t;
            if (gcMeanwhile > 0 || late) {
                return true;
            }
            counters.watchdogStuck.incrementAndGet();
            if (o.action() == Action.PANIC) {
                // The seed's "watch the watchdog": a watchdog that cannot look at the threads cannot
                // promise the panic it was asked for, so it takes the action now (gVisor does).
                panic(() -> reporter.report(new WatchdogEvent.WatchdogStuck(o.timeout(), o.action())));
            } else {
                reporter.report(new WatchdogEvent.WatchdogStuck(o.timeout(), o.action()));
            }
            return false;
        });
        if (samples == null) {
            return;
        }
        long now = ticker.read();
        // A pause that began during this pass, after the checks above, is discounted and defers
        // verdicts the same way: the samples may have been taken on either side of it.
        long passNanos = now - start;
        pauses.add(new StuckDetector.Pause(passNanos, passNanos > DESCHEDULE_THRESHOLD_NANOS,
                passGcNanos + pauseNanosSinceAsked()));
        counters.passes.incrementAndGet();
        StuckDetector.Result result = detector.judge(now, samples, timeoutNanos, pauses, deadlockSearch);
        counters.stuckDetected.addAndGet(result.newOffenderCount());
        if (!result.recovered().isEmpty()) {
            counters.recovered.addAndGet(result.recovered().size());
            reporter.report(new WatchdogEvent.Recovered(result.recovered()));
        }
        offenders = result.offenders();
        watched = detector.watched(now);
        lookAtBlindSpots(now, timeoutNanos, samples);
        counters.lastPassMicros.set(TimeUnit.NANOSECONDS.toMicros(ticker.read() - start));
        if (!result.offenders().isEmpty()) {
            report(result, o, now);
        } else {
            synchronized (dumpLock) {
                dumpOwed = false; // nobody left to show in it
            }
        }
        interruptLongStuck(result, o);
        tellPassListener();
    }

    /**
     * The whole-JVM check ({@link StallDetector}): a stall is reported when first seen (with a dump
     * when one is allowed) and at most once a minute while it lasts, then its end. Under {@code
     * action=panic}, or once it has lasted {@code panic-after}, the JVM is halted: a JVM in a death
     * spiral is better restarted.
     *
     * @return whether the JVM is being halted
     */
    private boolean watchStall(long now, long latenessNanos, Options o) {
        int threshold = o.stallThresholdPercent();
        if (threshold == 0) {
            return false;
        }
        JvmPauses source = jvmPauses;
        if (source != stallSource) { // totals from two sources do not compare
            stalls.reset();
            stallSource = source;
        }
        StallDetector.Result result;
        try {
            result = stalls.observe(now, source.totals(), latenessNanos, o.timeout().toNanos(), threshold,
                    !source.debuggerMaySuspend());
        } catch (RuntimeException e) {
            if (counters.loopFailures.getAndIncrement() == 0) {
                reporter.info("JVM Watchdog: reading the JVM's pauses failed (reported once): " + e);
            }
            return false;
        }
        StallDetector.Verdict verdict = result.verdict();
        if (verdict == StallDetector.Verdict.RECOVERED) {
            reporter.report(new WatchdogEvent.StallOver(result.stall()));
            return false;
        }
        if (!result.seenNow()) {
            return false;
        }
        boolean isNew = verdict == StallDetector.Verdict.NEW;
        counters.jvmStalls.addAndGet(isNew ? 1 : 0);
        boolean escalate = !o.panicAfter().isZero() && result.stall().lastedNanos() >= o.panicAfter().toNanos();
        if ((isNew && o.action() == Action.PANIC) || escalate) {
            JvmStall stall = result.stall().withHeapAfterGc(source.heapPercentAfterGc());
            panic(() -> reporter.report(new WatchdogEvent.Stalled(stall, Action.PANIC, threshold, true, false)),
                    STALL_PANIC_REPORT_NANOS);
            return true;
        }
        if (isNew || verdict == StallDetector.Verdict.REPEAT) {
            JvmStall stall = result.stall().withHeapAfterGc(source.heapPercentAfterGc());
            reporter.report(new WatchdogEvent.Stalled(stall, Action.LOG, threshold, isNew && claimDump(now), !isNew));
        }
        return false;
    }

    /**
     * Whether the whole-JVM dump a report without offenders would like may be taken now (none in the
     * last minute, and within the pause budget); if so it is counted as taken.
     */
    private boolean claimDump(long now) {
        synchronized (dumpLock) {
            if (dumpAllowance(now) != Incident.Dump.TAKEN) {
                return false;
            }
            dumpTaken = true;
            lastDumpNanos = now;
            dumpOwed = false; // it shows every thread
            return true;
        }
    }

    /** Whether a whole-JVM dump may be taken now: {@code TAKEN}, or why not. Under dumpLock. */
    private Incident.Dump dumpAllowance(long now) {
        if (dumpTaken && now - lastDumpNanos < DUMP_INTERVAL_NANOS) {
            return Incident.Dump.DEFERRED;
        }
        return pauses.allows(AgentPauses.Kind.DUMP) ? Incident.Dump.TAKEN : Incident.Dump.OVER_BUDGET;
    }

    private void lookAtBlindSpots(long now, long timeoutNanos, List<ThreadSample> samples) {
        BusyThreads b = blindSpots;
        if (b == null || !b.due(now, timeoutNanos)) {
            return; // three passes in four: no set of the threads in units is built
        }
        Set<Long> inUnits = new HashSet<>();
        for (ThreadSample s : samples) {
            if (s.unit() != UnitKind.NONE) {
                inUnits.add(s.threadId());
            }
        }
        b.update(now, timeoutNanos, inUnits);
    }

    /** What the last pass saw of every thread it judged (status views: JMX, the CLI's status). */
    public List<StuckDetector.Watched> watched() {
        return watched;
    }

    /** The threads found stuck by the last pass. */
    public List<Offender> offenders() {
        return offenders;
    }

    /**
     * Reports the threads the last pass found stuck now, with a full dump if one is allowed (at most
     * one a minute, within the pause budget), as a new report would (for an operator who asks: JMX).
     * Runs on the caller's thread; the action is never a panic.
     *
     * @return how many stuck threads were reported
     */
    public int reportNow() {
        List<Offender> now = offenders;
        if (now.isEmpty()) {
            reporter.info("JVM Watchdog: a report was requested; no thread is stuck");
        } else {
            reporter.report(new WatchdogEvent.Stuck(incident(now, Action.LOG, options.timeout(), ticker.read(), true)));
        }
        return now.size();
    }

    /**
     * {@code interrupt-after}: each offender stuck that long is interrupted once in its stuck
     * episode, after the report that names it. {@code Thread.interrupt()} can close an interruptible
     * channel the thread is in, which may take a moment, so it runs bounded on a helper thread.
     */
    private void interruptLongStuck(StuckDetector.Result result, Options o) {
        Set<Long> stillStuck = new HashSet<>();
        result.offenders().forEach(x -> stillStuck.add(x.sample().threadId()));
        interrupted.retainAll(stillStuck); // an episode ends when the thread recovers
        if (o.interruptAfter().isZero()) {
            return;
        }
        long afterNanos = o.interruptAfter().toNanos();
        List<Offender> due = new ArrayList<>();
        for (Offender x : result.offenders()) {
            if (x.stuckNanos() >= afterNanos && interrupted.add(x.sample().threadId())) {
                due.add(x);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        List<Offender> done = Collections.synchronizedList(new ArrayList<>());
        List<String> spared = Collections.synchronizedList(new ArrayList<>());
        backend.runBounded("watchdog-interrupt", () -> due.forEach(x -> {
            Interrupter.Outcome outcome = interrupter.interrupt(x.sample());
            if (outcome.interrupted()) {
                done.add(x);
            } else if (outcome.sparedBecause() != null) {
                spared.add("JVM Watchdog: did not interrupt " + ReportText.threadLabel(x.sample()) + ", stuck for "
                        + Durations.formatNanos(x.stuckNanos()) + " (interrupt-after " + Durations.format(o.interruptAfter())
                        + "): " + outcome.sparedBecause());
            }
        }), INTERRUPT_BOUND_NANOS);
        synchronized (done) {
            if (!done.isEmpty()) {
                reporter.report(new WatchdogEvent.Interrupted(List.copyOf(done), o.interruptAfter()));
            }
        }
        synchronized (spared) {
            spared.forEach(reporter::info);
        }
    }

    private static final long INTERRUPT_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The JVM's search, within the agent's pause budget, counted. */
    private final StuckDetector.DeadlockSearch deadlockSearch = new StuckDetector.DeadlockSearch() {
        @Override
        public boolean allowed() {
            return pauses.allows(AgentPauses.Kind.DEADLOCK_SEARCH);
        }

        @Override
        public long[] find() {
            counters.deadlockSearches.incrementAndGet();
            return deadlocks.find();
        }
    };

    /**
     * Reports the pass's offenders: at once when one is new (its section, with its stack, and a
     * dump if one is allowed now); a dump owed to an earlier report once it is allowed; the same
     * offenders again, without a dump, once a minute.
     */
    private void report(StuckDetector.Result result, Options o, long now) {
        if (shouldPanic(result, o)) {
            Incident incident = new Incident(result.offenders(), Action.PANIC, o.timeout(), Incident.Dump.TAKEN, -1);
            panic(() -> reporter.report(new WatchdogEvent.Stuck(incident)));
            return;
        }
        boolean anyNew = result.hasNewOffender();
        boolean owed;
        synchronized (dumpLock) {
            owed = dumpOwed;
        }
        if (anyNew || owed) {
            Incident incident = incident(result.offenders(), Action.LOG, o.timeout(), now, anyNew);
            if (incident != null) {
                reporter.report(new WatchdogEvent.Stuck(incident));
                lastReportNanos = now;
                return;
            }
        }
        if (now - lastReportNanos >= REPEAT_INTERVAL_NANOS) {
            long sinceDump;
            synchronized (dumpLock) {
                sinceDump = dumpTaken ? now - lastDumpNanos : -1;
            }
            Incident repeat = new Incident(result.offenders(), Action.LOG, o.timeout(), Incident.Dump.REPEAT, sinceDump);
            reporter.report(new WatchdogEvent.Stuck(repeat));
            lastReportNanos = now;
        }
    }

    /**
     * An incident of these offenders with a whole-JVM dump if one may be taken now (none in the last
     * minute, and it fits the pause budget); else the dump is owed, and the incident says why.
     *
     * @param mustReport whether there is something new to say even without a dump
     * @return the incident; null when there is nothing new and the owed dump must still wait
     */
    private Incident incident(List<Offender> offenders, Action action, Duration timeout, long now, boolean mustReport) {
        synchronized (dumpLock) {
            long sinceDump = dumpTaken ? now - lastDumpNanos : -1;
            Incident.Dump dump = dumpAllowance(now);
            if (dump == Incident.Dump.TAKEN) {
                dumpTaken = true;
                lastDumpNanos = now;
                dumpOwed = false;
            } else {
                dumpOwed = true;
                if (!mustReport) {
                    return null;
                }
            }
            return new Incident(offenders, action, timeout, dump, sinceDump);
        }
    }

    /**
     * {@code action=panic} panics when a thread is newly stuck; {@code panic-after} when threads have
     * stayed stuck that long. Either needs at least {@code panic-min-threads} stuck threads in the
     * pass; fewer are reported as under {@code action=log}.
     */
    private static boolean shouldPanic(StuckDetector.Result result, Options o) {
        int stuck = result.offenders().size();
        if (stuck < o.panicMinThreads()) {
            return false;
        }
        if (o.action() == Action.PANIC) {
            return result.hasNewOffender();
        }
        if (o.panicAfter().isZero()) {
            return false;
        }
        long afterNanos = o.panicAfter().toNanos();
        int longStuck = 0;
        for (Offender x : result.offenders()) {
            longStuck += x.stuckNanos() >= afterNanos ? 1 : 0;
        }
        return longStuck >= o.panicMinThreads();
    }

    /**
     * The JVM's shutdown began (called from a shutdown hook, which returns at once). With
     * {@code shutdown-timeout}, an agent thread halts a shutdown that has not finished in time, after
     * a dump: a hook that hangs would otherwise keep a terminating JVM alive for good. If the
     * shutdown finishes first, the JVM ends and takes the daemon thread with it.
     */
    public void shutdownStarted() {
        shutdownStarted(ticker.read());
    }

    /**
     * {@link #shutdownStarted()}, for a shutdown that began at {@code startedAt} (the ticker's time):
     * one that began while the agent was still installing counts from then.
     */
    public void shutdownStarted(long startedAt) {
        Options o = options;
        if (o.shutdownTimeout().isZero()) {
            return;
        }
        long deadline = startedAt + o.shutdownTimeout().toNanos();
        backend.start("watchdog-shutdown", self -> {
            for (long left = deadline - ticker.read(); left > 0 && !self.stopRequested(); left = deadline - ticker.read()) {
                self.sleepNanos(left);
            }
            if (!self.stopRequested()) {
                panic(() -> reporter.report(new WatchdogEvent.ShutdownTimeout(o.shutdownTimeout())));
            }
        });
    }

    /** Writes the report (bounded), flushes (bounded, as the seed flushes metrics), then halts. */
    private void panic(Runnable writeReport) {
        panic(writeReport, PANIC_REPORT_NANOS);
    }

    private void panic(Runnable writeReport, long reportBoundNanos) {
        backend.runBounded("watchdog-panic-report", writeReport, reportBoundNanos);
        reporter.flush(Duration.ofNanos(PANIC_FLUSH_NANOS));
        terminator.halt(Action.PANIC_EXIT_STATUS);
    }

    /** Stop-the-world time since the last call, the JVM's (collections) and the agent's own. */
    private long pauseNanosSinceAsked() {
        return gcPauseNanos.getAsLong() + pauses.takeUndiscountedNanos();
    }

    /**
     * Many threads started since the last pass (the registry asks, from the thread that started one):
     * the loop releases ended threads' states now instead of at its next pass. Called on an
     * application thread: an unpark, nothing more.
     */
    public void wakeToReleaseEnded() {
        LoopBackend.Loop l = loop; // no lock: an application thread calls this
        if (l != null) {
            l.wake();
        }
    }

    private void runLoop(LoopBackend.Loop self) {
        while (!self.stopRequested()) {
            long periodNanos = options.period().toNanos();
            long wait = lastRunNanos + periodNanos - ticker.read();
            if (wait > 0) {
                try {
                    sampler.releaseEnded(); // this thread waited for the last pass's sampling: never both at once
                } catch (Throwable t) {
                    if (counters.loopFailures.getAndIncrement() == 0) {
                        reporter.info("JVM Watchdog: releasing ended threads failed (reported once): " + t);
                    }
                }
                self.sleepNanos(wait);
                continue;
            }
            try {
                runPass();
            } catch (Throwable t) {
                if (counters.loopFailures.getAndIncrement() == 0) {
                    reporter.info("JVM Watchdog: a pass failed and was skipped (reported once): " + t);
                }
            }
        }
    }

    private void runStartupLoop(LoopBackend.Loop self) {
        while (!self.stopRequested() && !startCalled) {
            try {
                checkStartup();
            } catch (Throwable t) {
                reporter.info("JVM Watchdog: the startup check failed: " + t);
            }
            long remaining = startupSinceNanos + options.startupTimeout().toNanos() - ticker.read();
            // Past the deadline only the readiness signal is left to wait for; it wakes us.
            self.sleepNanos(remaining > 0 ? remaining : TimeUnit.SECONDS.toNanos(1));
        }
    }
}
