package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.EventLog.EventThread;
import io.jvmwatchdog.core.watch.AgentThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

    /** @param events the events file, or null */
    public LogReporter(Logger log, EventLog events, ThreadDumper dumper, Clock clock) {
        this.log = log;
        this.events = events;
        this.dumper = dumper;
        this.clock = clock;
    }

    @Override
    public void stuck(Incident incident) {
        Map<Long, StackTraceElement[]> stacks = new HashMap<>();
        String dumpText = null;
        if (incident.withDump()) {
            ThreadInfo[] dump = dumper.dumpAll();
            Map<Long, String> marks = new HashMap<>();
            for (Offender o : incident.offenders()) {
                marks.put(o.sample().threadId(), "STUCK " + Durations.formatNanos(o.stuckNanos()) + " "
                        + o.sample().activity().label());
            }
            for (ThreadInfo info : dump) {
                if (info != null && marks.containsKey(info.getThreadId())) {
                    stacks.put(info.getThreadId(), info.getStackTrace());
                }
            }
            dumpText = ThreadDumpFormatter.format(dumpHeader(), dump, marks);
        }
        Map<Long, String> tasks = new HashMap<>();
        for (Offender o : incident.offenders()) {
            String task = ReportText.taskFrame(o.sample().entry(), stacks.get(o.sample().threadId()));
            if (task != null) {
                tasks.put(o.sample().threadId(), task);
            }
        }
        String summary = ReportText.stuckSummary(incident, tasks);
        log.warn(dumpText == null ? summary : summary + "\n" + dumpText);

        List<EventThread> fresh = new ArrayList<>();
        for (Offender o : incident.offenders()) {
            if (o.isNew() || incident.action() == Action.PANIC) {
                ThreadSample s = o.sample();
                fresh.add(eventThread(s, o.stuckNanos(), ReportText.entryWithTask(s.entry(), tasks.get(s.threadId())),
                        stacks.get(s.threadId())));
            }
        }
        if (!fresh.isEmpty()) {
            writeEvent("stuck", incident.action(), fresh);
        }
    }

    @Override
    public void recovered(List<Recovery> recoveries) {
        List<EventThread> threads = new ArrayList<>();
        for (Recovery r : recoveries) {
            log.info(ReportText.recovered(r));
            threads.add(eventThread(r.sample(), r.stuckNanos(), r.sample().entry(), null));
        }
        writeEvent("recovered", null, threads);
    }

    @Override
    public void startupTimeout(Duration startupTimeout, String readySignal, Action action) {
        String dumpText = ThreadDumpFormatter.format(dumpHeader(), dumper.dumpAll(), Map.of());
        log.warn("JVM Watchdog: readiness (" + readySignal + ") was not signalled within "
                + Durations.format(startupTimeout) + " (startup-action " + action.optionValue() + ")\n" + dumpText);
        writeEvent("startup-timeout", action, List.of());
    }

    @Override
    public void watchdogStuck(Duration timeout, Action action) {
        log.warn("JVM Watchdog: the watchdog is stuck: sampling the threads has not finished within "
                + Durations.format(timeout) + " (action " + action.optionValue() + ")");
        writeEvent("watchdog-stuck", action, List.of());
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void flush(Duration bound) {
        // Logback's console appender writes through on every event; what may sit in a buffer is the
        // JVM's stderr stream. Flush it from a helper thread so a blocked pipe cannot hold us past bound.
        Thread flusher = AgentThreads.newThread("watchdog-flush", () -> {
            System.err.flush();
            System.out.flush();
        });
        flusher.start();
        try {
            flusher.join(Math.max(1, bound.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeEvent(String event, Action action, List<EventThread> threads) {
        if (events == null) {
            return;
        }
        try {
            events.write(clock.instant(), event, action == null ? null : action.optionValue(), threads);
        } catch (IOException e) {
            log.warn("JVM Watchdog: could not write to the events file " + events.path() + ": " + e.getMessage());
        }
    }

    private static EventThread eventThread(ThreadSample s, long stuckNanos, String entry, StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        if (stack != null) {
            Arrays.stream(stack).forEach(f -> frames.add(ReportText.frame(f)));
        }
        return new EventThread(s.name(), s.threadId(), s.jvmState().name(), TimeUnit.NANOSECONDS.toMillis(stuckNanos),
                entry, frames, s.virtual());
    }

    private String dumpHeader() {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        return "Full thread dump " + rt.getVmName() + " (" + rt.getVmVersion() + ", taken by JVM Watchdog at "
                + clock.instant() + "):";
    }
}
