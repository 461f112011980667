package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A report's evidence: stacks read for the offenders alone, once per stuck episode; sections of new offenders between dumps. */
class LogReporterTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> parked = new ArrayList<>();
    private final AgentPauses pauses = AgentPauses.system();
    private final List<StringWriter> dumps = new ArrayList<>();
    private ListAppender<ILoggingEvent> logged;
    private LogReporter reporter;

    @BeforeEach
    void setUp() {
        LoggerContext context = new LoggerContext();
        logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        ch.qos.logback.classic.Logger log = context.getLogger("test");
        log.addAppender(logged);
        reporter = new LogReporter(log, () -> {
            StringWriter w = new StringWriter();
            dumps.add(w);
            return w;
        }, null, null, ThreadDumper.platform(() -> false, pauses), Clock.systemUTC());
    }

    @AfterEach
    void release() throws InterruptedException {
        release.countDown();
        for (Thread t : parked) {
            t.join(10_000);
        }
    }

    /** A real parked thread, so its stack can be read, as an offender. */
    private Offender offender(String name, boolean isNew) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        parked.add(t);
        // Its stack is read as evidence: it must be in the await by then, not still starting.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, t.getState(), name + " parked in the latch");
        ThreadSample s = new ThreadSample(t.getId(), name, true, null, UnitKind.BUDGETED, "com.example.Worker.process", null,
                1, null, null, Thread.State.WAITING, 0, 0, null, -1, null, false);
        return new Offender(s, 3_000_000_000L, isNew, StuckReason.BUDGET_EXCEEDED);
    }

    private static Offender again(Offender o) {
        return new Offender(o.sample(), o.stuckNanos() + 500_000_000L, false, o.reason());
    }

    private String lastWarning() {
        return logged.list.get(logged.list.size() - 1).getFormattedMessage();
    }

    @Test
    void betweenDumps_aReportHasSectionsForItsNewOffendersOnly_andReadsOnlyTheirStacks() throws Exception {
        Offender first = offender("worker-1", true);
        stuck(new Incident(List.of(first), Action.LOG, Duration.ofSeconds(2), Incident.Dump.TAKEN, -1));
        assertEquals(1, dumps.size(), "the first report has a whole-JVM dump");
        assertTrue(dumps.get(0).toString().contains("\"worker-1\" #" + first.sample().threadId()), "with the offender in it");
        long readsBefore = pauses.count();

        Offender second = offender("worker-2", true);
        stuck(new Incident(List.of(again(first), second), Action.LOG, Duration.ofSeconds(2), Incident.Dump.DEFERRED,
                500_000_000L));
        String report = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("JVM Watchdog detected 2 stuck thread(s)")).findFirst().orElseThrow();
        assertTrue(report.contains("\t\"worker-1\" #") && report.contains("\t\"worker-2\" #"), "the summary names both:\n" + report);
        assertTrue(report.contains("Stuck thread \"worker-2\""), "the new one's section:\n" + report);
        assertFalse(report.contains("Stuck thread \"worker-1\""), "not the one reported before:\n" + report);
        assertTrue(report.contains("(1 other stuck thread(s) were reported with their sections before;"), report);
        assertTrue(report.contains("at java.util.concurrent.CountDownLatch.await("), "the new one's stack:\n" + report);
        assertEquals(1, dumps.size(), "no dump: deferred");
        assertEquals(readsBefore + 1, pauses.count(), "one safepoint: the new offender's stack alone");
    }

    @Test
    void aRepeatReusesTheStacksReadBefore_aReportWithADumpReadsThemAfresh() {
        Offender first = offender("worker-1", true);
        stuck(new Incident(List.of(first), Action.LOG, Duration.ofSeconds(2), Incident.Dump.DEFERRED, -1));
        long reads = pauses.count();
        stuck(new Incident(List.of(again(first)), Action.LOG, Duration.ofSeconds(2), Incident.Dump.REPEAT, -1));
        assertEquals(reads, pauses.count(), "still stuck: its stack is the one read before");
        assertTrue(lastWarning().contains("Stuck thread \"worker-1\"") && lastWarning().contains("CountDownLatch.await("),
                "a repeat shows every offender, stack included:\n" + lastWarning());
        stuck(new Incident(List.of(again(first)), Action.LOG, Duration.ofSeconds(2), Incident.Dump.TAKEN, -1));
        assertTrue(pauses.count() > reads + 1, "a report with a dump reads the offender's stack again, and the dump");
    }

    private void stuck(Incident incident) {
        reporter.report(new WatchdogEvent.Stuck(incident));
    }
}
