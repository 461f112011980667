package io.jvmwatchdog.core.report.jfr;

import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.ThreadSample;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;

/**
 * Commits the watchdog's verdicts as JFR events, so that a report lands in a recording next to
 * everything else in JDK Mission Control. An event costs nothing when no recording enables it
 * ({@code shouldCommit}). A JVM without the {@code jdk.jfr} module (a trimmed runtime) simply gets
 * none: the first failure turns this off for good.
 */
public final class JfrEvents {

    private static volatile boolean available = true;

    private JfrEvents() {
    }

    /**
     * An {@code io.jvmwatchdog.Event} per JSON object of an event (any event), and the typed
     * per-thread events of the two that name threads: a {@code StuckThread} per offender the event
     * tells of, a {@code RecoveredThread} per recovery.
     *
     * @param json the event's JSON objects, without stacks
     */
    public static void commit(String kind, String headline, List<String> json) {
        if (!available) {
            return;
        }
        try {
            if (!FlightRecorder.isInitialized()) {
                return; // no recording was ever started: load no event class (a panic's report is timed)
            }
            for (String object : json) {
                WatchdogJfrEvent e = new WatchdogJfrEvent();
                if (!e.shouldCommit()) {
                    return;
                }
                e.event = kind;
                e.headline = headline;
                e.json = object.strip();
                e.commit();
            }
        } catch (Throwable t) { // NoClassDefFoundError without jdk.jfr, or anything else: never the report
            available = false;
        }
    }

    /** One event per offender an event tells of. */
    public static void stuck(List<Offender> offenders, String action) {
        if (!available) {
            return;
        }
        try {
            if (!FlightRecorder.isInitialized()) {
                return; // no recording was ever started: load no event class (a panic's report is timed)
            }
            for (Offender o : offenders) {
                StuckThreadEvent e = new StuckThreadEvent();
                if (!e.shouldCommit()) {
                    return;
                }
                describe(e, o.sample());
                e.reason = o.reason().id();
                e.stuckMillis = TimeUnit.NANOSECONDS.toMillis(o.stuckNanos());
                e.waitsOn = o.sample().waitsOn();
                e.action = action;
                e.commit();
            }
        } catch (Throwable t) { // NoClassDefFoundError without jdk.jfr, or anything else: never the report
            available = false;
        }
    }

    public static void recovered(List<Recovery> recoveries) {
        if (!available) {
            return;
        }
        try {
            if (!FlightRecorder.isInitialized()) {
                return;
            }
            for (Recovery r : recoveries) {
                RecoveredThreadEvent e = new RecoveredThreadEvent();
                if (!e.shouldCommit()) {
                    return;
                }
                describe(e, r.sample());
                e.stuckMillis = TimeUnit.NANOSECONDS.toMillis(r.stuckNanos());
                e.commit();
            }
        } catch (Throwable t) {
            available = false;
        }
    }

    private static void describe(ThreadEventFields e, ThreadSample s) {
        e.threadName = s.name();
        e.threadId = s.threadId();
        e.virtual = s.virtual();
        e.threadState = s.jvmState().name();
        e.entry = s.entry();
    }
}
