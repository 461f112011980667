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

    /** One event per offender newly found stuck (under panic: every offender). */
    public static void stuck(List<Offender> offenders, String action, boolean everyOffender) {
        if (!available) {
            return;
        }
        try {
            if (!FlightRecorder.isInitialized()) {
                return; // no recording was ever started: load no event class (a panic's report is timed)
            }
            for (Offender o : offenders) {
                if (!o.isNew() && !everyOffender) {
                    continue;
                }
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
