package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the watchdog has to say, one record per kind of event. Each record knows its name (the events
 * file's {@code event}, the suffix of the JMX notification's type), its one-line headline and its
 * JSON; the events file, JMX and JFR take any event alike. A new event is a new record here, and the
 * log text the reporter gives it.
 */
public sealed interface WatchdogEvent {

    /** The event's name: {@code stuck}, {@code recovered}, ... */
    String kind();

    /** One line that says it (a JMX notification's message). */
    String headline();

    /** Whether the JVM is halted right after this event is reported: whoever tells of it goes first. */
    default boolean halts() {
        return false;
    }

    /**
     * The event as JSON objects, one per line ({@link EventJson}); none when there is nothing new to
     * say (a repeat of the same offenders goes to the log only).
     *
     * @param evidence what the report read of the offenders, or {@link Evidence#NONE}
     */
    List<String> json(Instant time, Evidence evidence);

    /** The event as JSON, without what only a report reads (stacks, carriers, tasks). */
    default List<String> json(Instant time) {
        return json(time, Evidence.NONE);
    }

    /** The JSON of an event that names no thread. */
    private static List<String> noThreads(Instant time, String kind, String action) {
        return List.of(EventJson.line(time, kind, action, List.of(), null));
    }

    /** Threads found stuck in one pass; {@link Offender#isNew()} marks the ones not reported before. */
    record Stuck(Incident incident) implements WatchdogEvent {
        @Override
        public String kind() {
            return "stuck";
        }

        @Override
        public String headline() {
            return toldOf().size() + " thread(s) newly stuck (timeout " + Durations.format(incident.timeout())
                    + ", action " + incident.action().optionValue() + ")";
        }

        @Override
        public boolean halts() {
            return incident.action() == Action.PANIC;
        }

        /** The offenders an event names: each when first found, and under panic all of them. */
        List<Offender> toldOf() {
            boolean panic = incident.action() == Action.PANIC;
            return incident.offenders().stream().filter(o -> o.isNew() || panic).toList();
        }

        /** One object per deadlock cycle (with the cycle), and one for every other offender told of. */
        @Override
        public List<String> json(Instant time, Evidence evidence) {
            List<EventJson.EventThread> others = new ArrayList<>();
            Map<Set<Long>, List<Offender>> cycles = new LinkedHashMap<>();
            for (Offender o : toldOf()) {
                if (o.reason() == StuckReason.DEADLOCK && !o.deadlockCycle().isEmpty()) {
                    Set<Long> members = new TreeSet<>();
                    o.deadlockCycle().forEach(l -> members.add(l.threadId()));
                    cycles.computeIfAbsent(members, k -> new ArrayList<>()).add(o);
                } else {
                    others.add(EventJson.thread(o, evidence));
                }
            }
            String action = incident.action().optionValue();
            List<String> lines = new ArrayList<>();
            for (List<Offender> cycle : cycles.values()) {
                List<EventJson.EventThread> threads = new ArrayList<>();
                cycle.forEach(o -> threads.add(EventJson.thread(o, evidence)));
                List<ChainLink> links = cycle.get(0).deadlockCycle();
                lines.add(EventJson.line(time, kind(), action, threads, links));
            }
            if (!others.isEmpty()) {
                lines.add(EventJson.line(time, kind(), action, others, null));
            }
            return lines;
        }
    }

    /** Threads reported stuck before that have moved on. */
    record Recovered(List<Recovery> recoveries) implements WatchdogEvent {
        @Override
        public String kind() {
            return "recovered";
        }

        @Override
        public String headline() {
            return recoveries.size() + " thread(s) recovered";
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            List<EventJson.EventThread> threads = new ArrayList<>();
            recoveries.forEach(r -> threads.add(EventJson.thread(r)));
            return List.of(EventJson.line(time, kind(), null, threads, null));
        }
    }

    /** Stuck threads were interrupted ({@code interrupt-after}), each once per stuck episode. */
    record Interrupted(List<Offender> offenders, Duration interruptAfter) implements WatchdogEvent {
        @Override
        public String kind() {
            return "interrupted";
        }

        @Override
        public String headline() {
            return offenders.size() + " stuck thread(s) interrupted (interrupt-after " + Durations.format(interruptAfter) + ")";
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            List<EventJson.EventThread> threads = new ArrayList<>();
            offenders.forEach(o -> threads.add(EventJson.thread(o, Evidence.NONE)));
            return List.of(EventJson.line(time, kind(), null, threads, null));
        }
    }

    /** A graceful shutdown has not finished within {@code shutdown-timeout}: the JVM is halted next. */
    record ShutdownTimeout(Duration shutdownTimeout) implements WatchdogEvent {
        @Override
        public String kind() {
            return "shutdown-timeout";
        }

        @Override
        public String headline() {
            return "shutdown has not finished within " + Durations.format(shutdownTimeout) + ": halting";
        }

        @Override
        public boolean halts() {
            return true;
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            return noThreads(time, kind(), Action.PANIC.optionValue());
        }
    }

    /** Readiness was not signalled within the startup timeout. */
    record StartupTimeout(Duration startupTimeout, String readySignal, Action action) implements WatchdogEvent {
        @Override
        public String kind() {
            return "startup-timeout";
        }

        @Override
        public String headline() {
            return "readiness (" + readySignal + ") not signalled within " + Durations.format(startupTimeout);
        }

        @Override
        public boolean halts() {
            return action == Action.PANIC;
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            return noThreads(time, kind(), action.optionValue());
        }
    }

    /** Sampling the threads did not finish within the timeout: the watchdog itself is stuck. */
    record WatchdogStuck(Duration timeout, Action action) implements WatchdogEvent {
        @Override
        public String kind() {
            return "watchdog-stuck";
        }

        @Override
        public String headline() {
            return "sampling the threads has not finished within " + Durations.format(timeout);
        }

        @Override
        public boolean halts() {
            return action == Action.PANIC;
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            return noThreads(time, kind(), action.optionValue());
        }
    }

    /**
     * The whole JVM is making no progress ({@link JvmStall}). Told when first seen, with a whole-JVM
     * dump when one is allowed; a repeat while it lasts goes to the log only.
     *
     * @param thresholdPercent the {@code stall-threshold} in force
     * @param repeat a reminder of a stall told before
     */
    record Stalled(JvmStall stall, Action action, int thresholdPercent, boolean withDump, boolean repeat)
            implements WatchdogEvent {
        @Override
        public String kind() {
            return "jvm-stall";
        }

        @Override
        public String headline() {
            return "the JVM is stalled: " + ReportText.stallCause(stall) + " (action " + action.optionValue() + ")";
        }

        @Override
        public boolean halts() {
            return action == Action.PANIC;
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            return repeat ? List.of() : List.of(EventJson.stallLine(time, kind(), action.optionValue(), stall));
        }
    }

    /** A stall told before is over: a whole timeout passed without one. Its event is {@code recovered}, naming no thread. */
    record StallOver(JvmStall stall) implements WatchdogEvent {
        @Override
        public String kind() {
            return "recovered";
        }

        @Override
        public String headline() {
            return "the JVM stall is over (" + stall.cause().label() + ", lasted " + Durations.formatNanos(stall.lastedNanos()) + ")";
        }

        @Override
        public List<String> json(Instant time, Evidence evidence) {
            return List.of(EventJson.stallLine(time, kind(), null, stall));
        }
    }
}
