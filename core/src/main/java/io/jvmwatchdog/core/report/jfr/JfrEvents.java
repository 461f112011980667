package io.jvmwatchdog.core.report.jfr;

import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StarvedPool;
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
     * An {@code io.jvmwatchdog.Event} per JSON object of an event (any event). The two events that
     * name threads also get typed per-thread events: {@link #stuck} and {@link #recovered}.
     *
     * @param json the event's JSON objects, without stacks
     */
    public static void commit(String kind, String headline, List<String> json) {
        whenRecording(() -> {
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
        });
    }

    /** One event per offender an event tells of. */
    public static void stuck(List<Offender> offenders, String action) {
        whenRecording(() -> {
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
                StarvedPool pool = o.starvedPool();
                if (pool != null) {
                    e.starvedPool = pool.name();
                    e.poolWorkers = pool.workers();
                    e.poolQueued = pool.queued();
                }
                e.commit();
            }
        });
    }

    /** One event per stall told (not its repeats). */
    public static void stall(JvmStall s, String action) {
        whenRecording(() -> {
            JvmStallEvent e = new JvmStallEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.cause = s.cause().id();
            e.windowMillis = TimeUnit.NANOSECONDS.toMillis(s.windowNanos());
            e.stoppedMillis = TimeUnit.NANOSECONDS.toMillis(s.stoppedNanos());
            e.stoppedShare = s.stoppedPermille() / 1000f;
            e.pauses = s.pauses();
            e.collections = s.collections();
            e.collector = s.mainCollector();
            e.heapAfterGc = s.heapAfterGcPercent() < 0 ? Float.NaN : s.heapAfterGcPercent() / 100f;
            e.lateMillis = TimeUnit.NANOSECONDS.toMillis(s.lateNanos());
            e.action = action;
            e.commit();
        });
    }

    public static void recovered(List<Recovery> recoveries) {
        whenRecording(() -> {
            for (Recovery r : recoveries) {
                RecoveredThreadEvent e = new RecoveredThreadEvent();
                if (!e.shouldCommit()) {
                    return;
                }
                describe(e, r.sample());
                e.stuckMillis = TimeUnit.NANOSECONDS.toMillis(r.stuckNanos());
                e.commit();
            }
        });
    }

    /**
     * Runs {@code commits} only if a recording was ever started (else no event class is loaded: a
     * panic's report is timed), and never lets a failure reach the report.
     */
    private static void whenRecording(Runnable commits) {
        if (!available) {
            return;
        }
        try {
            if (FlightRecorder.isInitialized()) {
                commits.run();
            }
        } catch (Throwable t) { // NoClassDefFoundError without jdk.jfr, or anything else: never the report
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
