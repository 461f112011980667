package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.EventLog.EventThread;
import io.jvmwatchdog.core.report.jfr.JfrEvents;
import io.jvmwatchdog.core.sample.VirtualThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.LockInfo;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The production reporter: warnings through the agent's logger (stderr), a {@code jstack}-layout
 * dump with the offenders tagged, and the events file.
 */
public final class LogReporter implements Reporter {

    private final Logger log;
    private final EventLog events;
    private final ThreadDumper dumper;
    private final Clock clock;
    private final DumpFiles dumpFiles;
    private final VirtualThreadDump virtualThreadDump;
    private final long pid = ProcessHandle.current().pid();

    /**
     * @param events the events file, or null
     * @param dumpFiles where each incident's full report also goes, or null
     */
    public LogReporter(Logger log, EventLog events, DumpFiles dumpFiles, ThreadDumper dumper, Clock clock) {
        this.log = log;
        this.events = events;
        this.dumpFiles = dumpFiles;
        this.virtualThreadDump = new VirtualThreadDump(dumpFiles == null ? null : dumpFiles.dir());
        this.dumper = dumper;
        this.clock = clock;
    }

    @Override
    public void stuck(Incident incident) {
        Map<Long, StackTraceElement[]> stacks = new HashMap<>();
        String dumpText = null;
        if (incident.withDump()) {
            ThreadInfo[] dump = dumper.dumpAll();
            incident = withVirtualWaitersLockOwners(incident, dump);
            Map<Long, String> marks = new HashMap<>();
            for (Offender o : incident.offenders()) {
                marks.put(o.sample().threadId(), "STUCK: " + o.reason().label()
                        + (o.reason() == StuckReason.DEADLOCK ? "" : " for " + Durations.formatNanos(o.stuckNanos())));
            }
            for (ThreadInfo info : dump) {
                if (info != null && marks.containsKey(info.getThreadId())) {
                    stacks.put(info.getThreadId(), info.getStackTrace());
                }
            }
            dumpText = ThreadDumpFormatter.format(dumpHeader(), dump, marks);
        }
        // ThreadMXBean knows no virtual thread: their stacks and carriers come from the threads.
        Map<Long, String> carriers = new HashMap<>();
        boolean anyVirtual = false;
        for (Offender o : incident.offenders()) {
            Thread virtual = o.sample().virtualThread();
            if (virtual != null) {
                anyVirtual = true;
                stacks.put(o.sample().threadId(), virtual.getStackTrace());
                String carrier = VirtualThreads.carrierName(virtual);
                if (carrier != null) {
                    carriers.put(o.sample().threadId(), carrier);
                }
            }
        }
        Map<Long, String> tasks = new HashMap<>();
        for (Offender o : incident.offenders()) {
            String task = ReportText.taskFrame(o.sample().entry(), stacks.get(o.sample().threadId()));
            if (task != null) {
                tasks.put(o.sample().threadId(), task);
            }
        }
        String summary = ReportText.stuckSummary(incident, tasks);
        String sections = ReportText.offenderSections(incident.offenders(), stacks, carriers);
        StringBuilder text = new StringBuilder(summary).append('\n').append(sections);
        if (dumpText != null) {
            text.append(dumpText);
            if (anyVirtual && VirtualThreadDump.supported()) {
                appendVirtualThreadDump(text);
            }
        }
        if (incident.action() == Action.PANIC) {
            // After a long dump the head of the report may be cut by log rotation or a terminal's
            // scrollback: the part that matters is said again at the end, bounded.
            text.append("\nJVM Watchdog: the stuck thread(s) again, after the dump:\n")
                    .append(ReportText.capped(sections, ReportText.PANIC_REPEAT_LIMIT_CHARS));
        }
        if (dumpText != null) {
            saveCopy("stuck", text);
        }
        log.warn(text.toString());
        writeStuckEvents(incident, tasks, stacks, carriers);
        JfrEvents.stuck(incident.offenders(), incident.action().optionValue(), incident.action() == Action.PANIC);
    }

    /**
     * The JVM names the owner of what a platform thread waits on, not of what a virtual thread waits
     * on: for a virtual thread waiting on a lock, the dump's lists of locked synchronizers and
     * monitors say which platform thread holds it.
     */
    private static Incident withVirtualWaitersLockOwners(Incident incident, ThreadInfo[] dump) {
        Map<LockRef, ThreadInfo> holders = new HashMap<>();
        for (ThreadInfo info : dump) {
            if (info == null) {
                continue;
            }
            for (LockInfo lock : info.getLockedSynchronizers()) {
                holders.put(new LockRef(lock.getClassName(), lock.getIdentityHashCode()), info);
            }
            for (LockInfo lock : info.getLockedMonitors()) {
                holders.put(new LockRef(lock.getClassName(), lock.getIdentityHashCode()), info);
            }
        }
        List<Offender> offenders = new ArrayList<>();
        for (Offender o : incident.offenders()) {
            ThreadSample s = o.sample();
            ThreadInfo holder = s.virtual() && s.lock() != null && s.lockOwnerId() < 0
                    ? holders.get(s.lock()) : null;
            offenders.add(holder == null ? o : new Offender(s.withLockOwner(holder.getThreadId(), holder.getThreadName()),
                    o.stuckNanos(), o.isNew(), o.reason(), o.chain(), o.waiters(), o.deadlockCycle()));
        }
        return incident.withOffenders(offenders);
    }

    /**
     * The dump above lists platform threads only (ThreadMXBean's): on Java 21+ the whole picture,
     * virtual threads included, goes to a JSON file, named here.
     */
    private void appendVirtualThreadDump(StringBuilder text) {
        try {
            Path file = virtualThreadDump.write(clock.instant(), pid);
            text.append("\nJVM Watchdog: every thread, virtual threads included, is in ").append(file);
        } catch (IOException | RuntimeException e) {
            text.append("\nJVM Watchdog: could not dump the virtual threads: ").append(e.getMessage());
        }
    }

    /**
     * A {@code stuck} event per deadlock cycle (with the cycle), and one for every other thread newly
     * found stuck (under panic: every offender).
     */
    private void writeStuckEvents(Incident incident, Map<Long, String> tasks, Map<Long, StackTraceElement[]> stacks,
                                  Map<Long, String> carriers) {
        List<EventThread> others = new ArrayList<>();
        Map<Set<Long>, List<Offender>> cycles = new LinkedHashMap<>();
        for (Offender o : incident.offenders()) {
            if (!o.isNew() && incident.action() != Action.PANIC) {
                continue;
            }
            if (o.reason() == StuckReason.DEADLOCK && !o.deadlockCycle().isEmpty()) {
                Set<Long> members = new TreeSet<>();
                o.deadlockCycle().forEach(l -> members.add(l.threadId()));
                cycles.computeIfAbsent(members, k -> new ArrayList<>()).add(o);
            } else {
                others.add(eventThread(o, tasks, stacks, carriers));
            }
        }
        for (List<Offender> cycle : cycles.values()) {
            List<EventThread> threads = new ArrayList<>();
            cycle.forEach(o -> threads.add(eventThread(o, tasks, stacks, carriers)));
            writeEvent("stuck", incident.action(), threads, cycle.get(0).deadlockCycle());
        }
        if (!others.isEmpty()) {
            writeEvent("stuck", incident.action(), others, null);
        }
    }

    @Override
    public void recovered(List<Recovery> recoveries) {
        List<EventThread> threads = new ArrayList<>();
        for (Recovery r : recoveries) {
            log.info(ReportText.recovered(r));
            ThreadSample s = r.sample();
            threads.add(new EventThread(ReportText.name(s), s.threadId(), s.jvmState().name(),
                    TimeUnit.NANOSECONDS.toMillis(r.stuckNanos()),
                    s.entry() == null ? null : ReportText.entryWithTask(s.entry(), s.detail(), null), s.detail(),
                    List.of(), s.virtual(), null, null, null, null, null,
                    -1, List.of(), s.interruptible(), 0));
        }
        writeEvent("recovered", null, threads, null);
        JfrEvents.recovered(recoveries);
    }

    @Override
    public void interrupted(List<Offender> offenders, Duration interruptAfter) {
        List<EventThread> threads = new ArrayList<>();
        for (Offender o : offenders) {
            log.warn("JVM Watchdog: interrupted " + ReportText.threadLabel(o.sample()) + ", stuck for "
                    + Durations.formatNanos(o.stuckNanos()) + " (interrupt-after " + Durations.format(interruptAfter) + ")");
            threads.add(eventThread(o, Map.of(), Map.of(), Map.of()));
        }
        writeEvent("interrupted", null, threads, null);
    }

    @Override
    public void shutdownTimeout(Duration shutdownTimeout) {
        String dumpText = ThreadDumpFormatter.format(dumpHeader(), dumper.dumpAll(), Map.of());
        StringBuilder text = new StringBuilder("JVM Watchdog: shutdown has not finished within "
                + Durations.format(shutdownTimeout) + " (shutdown-timeout): halting the JVM. The threads, with the"
                + " shutdown hooks still running among them:\n" + dumpText);
        saveCopy("shutdown-timeout", text);
        log.warn(text.toString());
        writeEvent("shutdown-timeout", Action.PANIC, List.of(), null);
    }

    @Override
    public void startupTimeout(Duration startupTimeout, String readySignal, Action action) {
        String dumpText = ThreadDumpFormatter.format(dumpHeader(), dumper.dumpAll(), Map.of());
        StringBuilder text = new StringBuilder("JVM Watchdog: readiness (" + readySignal + ") was not signalled within "
                + Durations.format(startupTimeout) + " (startup-action " + action.optionValue() + ")\n" + dumpText);
        saveCopy("startup-timeout", text);
        log.warn(text.toString());
        writeEvent("startup-timeout", action, List.of(), null);
    }

    @Override
    public void watchdogStuck(Duration timeout, Action action) {
        log.warn("JVM Watchdog: the watchdog is stuck: sampling the threads has not finished within "
                + Durations.format(timeout) + " (action " + action.optionValue() + ")");
        writeEvent("watchdog-stuck", action, List.of(), null);
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

    /** With dump-dir, writes the report to a new file there and says where at the end of {@code text}. */
    private void saveCopy(String kind, StringBuilder text) {
        if (dumpFiles == null) {
            return;
        }
        try {
            Path file = dumpFiles.write(clock.instant(), kind, text.toString());
            text.append("\nJVM Watchdog: this report is also in ").append(file);
        } catch (IOException | RuntimeException e) {
            text.append("\nJVM Watchdog: could not write this report to ").append(dumpFiles.dir()).append(": ").append(e);
        }
    }

    private void writeEvent(String event, Action action, List<EventThread> threads, List<ChainLink> cycle) {
        if (events == null) {
            return;
        }
        try {
            events.write(clock.instant(), event, action == null ? null : action.optionValue(), threads, cycle);
        } catch (IOException e) {
            log.warn("JVM Watchdog: could not write to the events file " + events.path() + ": " + e.getMessage());
        }
    }

    private static EventThread eventThread(Offender o, Map<Long, String> tasks, Map<Long, StackTraceElement[]> stacks,
                                           Map<Long, String> carriers) {
        ThreadSample s = o.sample();
        List<String> frames = new ArrayList<>();
        StackTraceElement[] stack = stacks.get(s.threadId());
        if (stack != null) {
            Arrays.stream(stack).forEach(f -> frames.add(ReportText.frame(f)));
        }
        String blockedOn = s.activity() == Activity.RUNNING ? null : s.waitsOn();
        String carrier = carriers.get(s.threadId());
        return new EventThread(ReportText.name(s), s.threadId(), s.jvmState().name(), TimeUnit.NANOSECONDS.toMillis(o.stuckNanos()),
                s.entry() == null ? null : ReportText.entryWithTask(s.entry(), s.detail(), tasks.get(s.threadId())),
                s.detail(), frames, s.virtual(), carrier, ReportText.pinnedBy(o, carrier, stack), o.reason().id(), blockedOn,
                s.lockOwnerName(), s.lockOwnerId(), o.deadlockCycle().isEmpty() ? o.chain() : List.of(),
                s.interruptible(), o.waiters());
    }

    private String dumpHeader() {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        return "Full thread dump " + rt.getVmName() + " (" + rt.getVmVersion() + ", taken by JVM Watchdog at "
                + clock.instant() + "):";
    }
}
