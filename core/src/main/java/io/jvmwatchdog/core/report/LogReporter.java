package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import io.jvmwatchdog.core.jvm.VirtualThreads;
import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.jfr.JfrEvents;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The production reporter: warnings through the agent's logger (stderr), a {@code jstack}-layout
 * dump with the offenders tagged, the events file, and with {@code dump-dir} a file per incident.
 *
 * <p><b>Evidence first.</b> A report of stuck threads is written in two parts. First what costs in
 * proportion to the offenders only: their stacks ({@link ThreadDumper#stacksOf}, short safepoints
 * for those threads alone), then, in this order, the summary and a section per offender (or per group
 * of alike offenders) on stderr, the events line, the dump-dir file's first part and the JFR events. Only then what costs in
 * proportion to the whole JVM: the whole-JVM dump, when the incident has one. A panic that halts the
 * JVM while the dump is still being taken has already written everything that names the offenders.
 *
 * <p><b>Bounded output.</b> The evidence is capped ({@link ReportText#SUMMARY_LIMIT_CHARS},
 * {@link ReportText#SECTIONS_LIMIT_CHARS}); the dump is cut at {@link #STDERR_DUMP_LIMIT_CHARS} on
 * stderr and {@link #FILE_DUMP_LIMIT_CHARS} in a file, each cut saying how many threads it left out,
 * and goes to stderr as bulk output, which may not take the room kept for reports.
 */
public final class LogReporter implements Reporter {

    /** The most of a dump stderr gets: half the sink's queue, so a report always fits beside it. */
    static final long STDERR_DUMP_LIMIT_CHARS = 4L * 1024 * 1024;
    /** The most of a dump a dump-dir file gets (written thread by thread, never held whole). */
    static final long FILE_DUMP_LIMIT_CHARS = 64L * 1024 * 1024;
    /**
     * A report reads the stacks of at most this many offenders: even in a storm, the evidence stays a
     * short pause. Offenders past it get a section without a stack; the dump has them.
     */
    static final int MAX_STACKS_READ = 1000;

    private final Logger log;
    private final Supplier<Writer> bulk;
    private final EventLog events;
    private final ThreadDumper dumper;
    private final Clock clock;
    private final DumpFiles dumpFiles;
    private final VirtualThreadDump virtualThreadDump;
    private final long pid = ProcessHandle.current().pid();
    /** The stacks read for the offenders of the last report, by thread id: kept while they stay stuck. */
    private final Map<Long, StackTraceElement[]> stuckStacks = new HashMap<>();

    /**
     * @param bulk where a whole-JVM dump goes after the report, written in pieces (stderr's bulk output)
     * @param events the events file, or null
     * @param dumpFiles where each incident's full report also goes, or null
     */
    public LogReporter(Logger log, Supplier<Writer> bulk, EventLog events, DumpFiles dumpFiles, ThreadDumper dumper,
                       Clock clock) {
        this.log = log;
        this.bulk = bulk;
        this.events = events;
        this.dumpFiles = dumpFiles;
        this.virtualThreadDump = new VirtualThreadDump(dumpFiles == null ? null : dumpFiles.dir());
        this.dumper = dumper;
        this.clock = clock;
    }

    @Override
    public void report(WatchdogEvent event) {
        if (event instanceof WatchdogEvent.Stuck stuck) {
            stuck(stuck);
        } else if (event instanceof WatchdogEvent.Recovered recovered) {
            recovered.recoveries().forEach(r -> log.info(ReportText.recovered(r)));
            tell(event, Evidence.NONE);
        } else if (event instanceof WatchdogEvent.Interrupted interrupted) {
            for (Offender o : interrupted.offenders()) {
                log.warn("JVM Watchdog: interrupted " + ReportText.threadLabel(o.sample()) + ", stuck for "
                        + Durations.formatNanos(o.stuckNanos()) + " (interrupt-after "
                        + Durations.format(interrupted.interruptAfter()) + ")");
            }
            tell(event, Evidence.NONE);
        } else if (event instanceof WatchdogEvent.ShutdownTimeout shutdown) {
            headlineAndDump(event, "JVM Watchdog: shutdown has not finished within "
                    + Durations.format(shutdown.shutdownTimeout()) + " (shutdown-timeout): halting the JVM. The threads,"
                    + " with the shutdown hooks still running among them, are in the dump below");
        } else if (event instanceof WatchdogEvent.StartupTimeout startup) {
            headlineAndDump(event, "JVM Watchdog: readiness (" + startup.readySignal() + ") was not signalled within "
                    + Durations.format(startup.startupTimeout()) + " (startup-action " + startup.action().optionValue() + ")");
        } else if (event instanceof WatchdogEvent.Stalled stalled) {
            stalled(stalled);
        } else if (event instanceof WatchdogEvent.StallOver) {
            log.info("JVM Watchdog: " + event.headline());
            tell(event, Evidence.NONE);
        } else if (event instanceof WatchdogEvent.WatchdogStuck watchdogStuck) {
            log.warn("JVM Watchdog: the watchdog is stuck: sampling the threads has not finished within "
                    + Durations.format(watchdogStuck.timeout()) + " (action " + watchdogStuck.action().optionValue() + ")");
            tell(event, Evidence.NONE);
            if (event.halts()) {
                preserveRecordings();
            }
        }
    }

    /**
     * A stall: its text and event, then with a dump what the threads were doing between the pauses.
     * In a death spiral every allocation waits for a collection, and a panic's report has a second:
     * the event, the text and the running recordings (the collector's own events) go before the dump.
     */
    private void stalled(WatchdogEvent.Stalled event) {
        String text = ReportText.stall(event.stall(), event.action(), event.thresholdPercent(), event.repeat());
        writeEvents(event, Evidence.NONE);
        log.warn(text);
        commitJfr(event);
        if (event.halts()) {
            preserveRecordings();
        }
        if (event.withDump() || event.halts()) {
            DumpFiles.Report file = openCopy(event.kind(), text);
            wholeDump(Map.of(), file, event.halts());
            close(file);
        }
    }

    private void stuck(WatchdogEvent.Stuck event) {
        Incident incident = event.incident();
        boolean panic = incident.action() == Action.PANIC;
        Evidence evidence = evidence(incident.offenders(), incident.withDump() || panic);
        boolean anyVirtual = incident.offenders().stream().anyMatch(o -> o.sample().virtualThread() != null);
        // Between whole-JVM dumps (a storm: a new offender every pass), each report has sections for
        // its new offenders only; the summary still lists them all.
        List<Offender> shown = incident.offenders();
        boolean newOnly = !panic && (incident.dump() == Incident.Dump.DEFERRED || incident.dump() == Incident.Dump.OVER_BUDGET);
        if (newOnly) {
            shown = incident.offenders().stream().filter(Offender::isNew).toList();
        }
        String sections = ReportText.offenderSections(shown, evidence.stacks(), evidence.carriers());
        if (shown.size() < incident.offenders().size()) {
            sections += "(" + (incident.offenders().size() - shown.size()) + " other stuck thread(s) were reported with"
                    + " their sections before; the next whole-JVM dump shows them all)\n";
        }
        String text = ReportText.stuckSummary(incident, evidence.tasks()) + "\n" + sections;
        log.warn(text);
        writeEvents(event, evidence);
        // A repeat of the same offenders is a reminder in the log; a new incident gets a file.
        DumpFiles.Report file = incident.dump() == Incident.Dump.REPEAT ? null : openCopy("stuck", text);
        JfrEvents.stuck(event.toldOf(), incident.action().optionValue());
        commitJfr(event);
        if (incident.withDump()) {
            Map<Long, String> marks = new HashMap<>();
            for (Offender o : incident.offenders()) {
                marks.put(o.sample().threadId(), "STUCK: " + o.reason().label()
                        + (o.reason() == StuckReason.DEADLOCK ? "" : " for " + Durations.formatNanos(o.stuckNanos())));
            }
            wholeDump(marks, file, panic);
            if (anyVirtual && VirtualThreadDump.supported()) {
                log.warn(virtualThreadDump());
            }
        }
        if (panic) {
            // After a long dump the head of the report may be cut by log rotation or a terminal's
            // scrollback: the part that matters is said again at the end, bounded.
            log.warn("JVM Watchdog: the stuck thread(s) again, after the dump:\n"
                    + ReportText.capped(sections, ReportText.PANIC_REPEAT_LIMIT_CHARS));
            preserveRecordings();
        }
        close(file);
    }

    /**
     * The offenders' stacks, read for them alone: platform threads through the dumper (safepoints of
     * 16 threads each), virtual threads from the thread objects (ThreadMXBean knows none; on Java 21+ a
     * handshake with that one thread's carrier, or a copy when it is not mounted). The stack of an
     * offender reported before and stuck since is used again rather than read again (a storm's
     * reports would otherwise read every earlier offender's stack once more each time), except when
     * {@code fresh}; a new offender's is always read.
     */
    private Evidence evidence(List<Offender> offenders, boolean fresh) {
        Map<Long, StackTraceElement[]> stacks = new HashMap<>();
        Map<Long, String> carriers = new HashMap<>();
        List<Long> platform = new ArrayList<>();
        int read = 0;
        synchronized (stuckStacks) {
            Set<Long> stillStuck = new java.util.HashSet<>();
            offenders.stream().filter(o -> !o.isNew()).forEach(o -> stillStuck.add(o.sample().threadId()));
            stuckStacks.keySet().retainAll(stillStuck); // a new stuck episode gets its stack read afresh
            if (!fresh) {
                stacks.putAll(stuckStacks);
            }
        }
        for (Offender o : offenders) {
            long id = o.sample().threadId();
            Thread virtual = o.sample().virtualThread();
            if (virtual != null) {
                String carrier = VirtualThreads.carrierName(virtual);
                if (carrier != null) {
                    carriers.put(id, carrier);
                }
            }
            if (stacks.containsKey(id) || read++ >= MAX_STACKS_READ) {
                continue;
            }
            if (virtual != null) {
                stacks.put(id, virtual.getStackTrace());
            } else {
                platform.add(id);
            }
        }
        try {
            for (ThreadInfo info : dumper.stacksOf(platform.stream().mapToLong(Long::longValue).toArray())) {
                stacks.put(info.getThreadId(), info.getStackTrace());
            }
        } catch (RuntimeException e) {
            log.warn("JVM Watchdog: could not read the stuck threads' stacks: " + e);
        }
        synchronized (stuckStacks) {
            stuckStacks.putAll(stacks);
        }
        Map<Long, String> tasks = new HashMap<>();
        for (Offender o : offenders) {
            String task = ReportText.taskFrame(o.sample().entry(), stacks.get(o.sample().threadId()));
            if (task != null) {
                tasks.put(o.sample().threadId(), task);
            }
        }
        return new Evidence(stacks, carriers, tasks);
    }

    /**
     * The whole-JVM dump, after the report: on stderr (cut at its budget, as bulk output) and in the
     * report's file (cut at a larger one, written thread by thread). Taken in slices, offenders first,
     * within the agent's pause budget; for a JVM about to be halted, without a heap walk and only
     * until the report's own deadline.
     *
     * @param halting the JVM is halted next
     */
    private void wholeDump(Map<Long, String> marks, DumpFiles.Report file, boolean halting) {
        ThreadDumper.Dump dump;
        try {
            dump = halting ? dumper.dumpBefore(System.nanoTime() + HALTING_DUMP_NANOS, marks.keySet())
                    : dumper.dumpWithinBudget(marks.keySet());
        } catch (RuntimeException e) {
            log.warn("JVM Watchdog: could not take a thread dump: " + e);
            return;
        }
        String header = dumpHeader();
        String ending = dump.omitted() == 0 ? null : "... " + dump.omitted() + " more thread(s) not dumped: "
                + (halting ? "the JVM is being halted" : "the dump stopped at the agent's pause budget (1 % of a minute)")
                + " ...";
        try (Writer out = bulk.get()) {
            ThreadDumpFormatter.write(out, header, dump.threads(), marks, dump.synchronizers(), STDERR_DUMP_LIMIT_CHARS, ending);
        } catch (IOException e) {
            log.warn("JVM Watchdog: could not write the thread dump to stderr: " + e);
        }
        if (file != null) {
            try {
                file.append("\n");
                ThreadDumpFormatter.write(file.unflushed(), header, dump.threads(), marks, dump.synchronizers(),
                        FILE_DUMP_LIMIT_CHARS, ending);
                file.append("\n");
            } catch (IOException e) {
                log.warn("JVM Watchdog: could not write the thread dump to " + file.path() + ": " + e);
            }
        }
    }

    /**
     * How long a halting JVM's dump may take: the panic waits 1 s for its whole report (see
     * Watchdog), of which the evidence before the dump takes a few milliseconds.
     */
    static final long HALTING_DUMP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(700);

    /**
     * The dump above lists platform threads only (ThreadMXBean's): on Java 21+ the whole picture,
     * virtual threads included, goes to a JSON file, named here.
     */
    private String virtualThreadDump() {
        try {
            Path file = virtualThreadDump.write(clock.instant(), pid);
            return "JVM Watchdog: every thread, virtual threads included, is in " + file;
        } catch (IOException | RuntimeException e) {
            return "JVM Watchdog: could not dump the virtual threads: " + e.getMessage();
        }
    }

    /**
     * A halt skips what a JVM does at exit, JFR's dump of its recordings among it: each running
     * recording is dumped now, into {@code dump-dir} or to the file it was told to write at exit, so
     * the events of the hang's last moments are kept.
     */
    private void preserveRecordings() {
        JfrRecordings.dumpRunning(dumpFiles, clock.instant()).forEach(log::warn);
    }

    /** An incident without offenders: the headline and the event first, then the dump it is about. */
    private void headlineAndDump(WatchdogEvent event, String headline) {
        log.warn(headline);
        writeEvents(event, Evidence.NONE);
        DumpFiles.Report file = openCopy(event.kind(), headline);
        // The dump is what this event is about; a JVM about to be halted gets it first (JFR may still
        // load its classes here, at startup).
        wholeDump(Map.of(), file, event.halts());
        commitJfr(event);
        if (event.halts()) {
            preserveRecordings();
        }
        close(file);
    }

    /** The event's lines in the events file, then its JFR events. */
    private void tell(WatchdogEvent event, Evidence evidence) {
        writeEvents(event, evidence);
        commitJfr(event);
    }

    private void commitJfr(WatchdogEvent event) {
        JfrEvents.commit(event.kind(), event.headline(), event.json(clock.instant()));
        if (event instanceof WatchdogEvent.Recovered recovered) {
            JfrEvents.recovered(recovered.recoveries());
        } else if (event instanceof WatchdogEvent.Stalled stalled && !stalled.repeat()) {
            JfrEvents.stall(stalled.stall(), stalled.action().optionValue());
        }
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void flush(Duration bound) {
        // Log lines go to stderr through the sink's own writer thread: wait for it, bounded, so a
        // pipe nobody reads cannot hold a panicking JVM. The events file is flushed per event.
        AgentLogging.sink().awaitDrained(bound.toNanos());
    }

    /**
     * With dump-dir, writes {@code text} to a new file there, left open for the rest of the report,
     * and says where in the log; null without dump-dir or when the file cannot be made.
     */
    private DumpFiles.Report openCopy(String kind, CharSequence text) {
        if (dumpFiles == null) {
            return null;
        }
        DumpFiles.Report file = null;
        try {
            file = dumpFiles.create(clock.instant(), kind);
            file.append(text);
            log.warn("JVM Watchdog: this report is also in " + file.path());
            return file;
        } catch (IOException | RuntimeException e) {
            close(file);
            log.warn("JVM Watchdog: could not write this report to " + dumpFiles.dir() + ": " + e);
            return null;
        }
    }

    private void close(DumpFiles.Report file) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            log.warn("JVM Watchdog: could not finish " + file.path() + ": " + e);
        }
    }

    private void writeEvents(WatchdogEvent event, Evidence evidence) {
        if (events == null) {
            return;
        }
        try {
            for (String line : event.json(clock.instant(), evidence)) {
                events.write(line);
            }
        } catch (IOException e) {
            log.warn("JVM Watchdog: could not write to the events file " + events.path() + ": " + e.getMessage());
        }
    }

    private String dumpHeader() {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        return "Full thread dump " + rt.getVmName() + " (" + rt.getVmVersion() + ", taken by JVM Watchdog at "
                + clock.instant() + "):";
    }
}
