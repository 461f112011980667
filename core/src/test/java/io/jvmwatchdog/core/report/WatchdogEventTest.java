package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each event's JSON, written once, for the events file, JMX and JFR alike. */
class WatchdogEventTest {

    private static final Instant TIME = Instant.parse("2026-12-05T12:00:00Z");

    private static Offender offender(long id, String name, boolean isNew, StuckReason reason, List<ChainLink> cycle) {
        ThreadSample s = new ThreadSample(id, name, true, null, UnitKind.TASK, "java.util.concurrent.ThreadPoolExecutor.runWorker",
                null, 1, null, null, Thread.State.RUNNABLE, 0, 0, null, -1, null, false);
        return new Offender(s, 3_000_000_000L, isNew, reason).withContext(List.of(), 0, cycle);
    }

    private static Offender offender(long id, String name, boolean isNew) {
        return offender(id, name, isNew, StuckReason.NO_PROGRESS, List.of());
    }

    /** One instance of every kind of event. */
    private static List<WatchdogEvent> oneOfEach() {
        Offender o = offender(7, "pool-1-thread-1", true);
        return List.of(
                new WatchdogEvent.Stuck(new Incident(List.of(o), Action.LOG, Duration.ofSeconds(2), Incident.Dump.TAKEN, -1)),
                new WatchdogEvent.Recovered(List.of(new Recovery(o.sample(), 4_000_000_000L))),
                new WatchdogEvent.Interrupted(List.of(o), Duration.ofSeconds(5)),
                new WatchdogEvent.ShutdownTimeout(Duration.ofSeconds(10)),
                new WatchdogEvent.StartupTimeout(Duration.ofSeconds(30), "com.example.App#ready", Action.PANIC),
                new WatchdogEvent.WatchdogStuck(Duration.ofSeconds(2), Action.LOG),
                new WatchdogEvent.Stalled(spiral(), Action.LOG, 50, true, false),
                new WatchdogEvent.StallOver(spiral()));
    }

    /** A death spiral as the stall check sees it: 97.5 % of 4 s stopped, mostly in full collections. */
    static JvmStall spiral() {
        return new JvmStall(JvmStall.Cause.PAUSES, 4_000_000_000L, 3_900_000_000L, 1204, 1198,
                List.of(new JvmStall.Collector("PS MarkSweep", 1150, 3600), new JvmStall.Collector("PS Scavenge", 48, 150)),
                93, 0, 0, 0, 12_000_000_000L);
    }

    @Test
    void aStall_isOneObjectWithItsFigures_andNoThreads_itsRepeatGoesToTheLogOnly() {
        WatchdogEvent stall = new WatchdogEvent.Stalled(spiral(), Action.PANIC, 50, true, false);
        assertEquals("{\"time\":\"2026-12-05T12:00:00Z\",\"event\":\"jvm-stall\",\"action\":\"panic\",\"stall\":{"
                + "\"cause\":\"pauses\",\"windowMillis\":4000,\"stoppedMillis\":3900,\"stoppedPercent\":97.5,\"pauses\":1204,"
                + "\"collections\":1198,\"collector\":\"PS MarkSweep\",\"collectors\":[{\"name\":\"PS MarkSweep\","
                + "\"collections\":1150,\"millis\":3600},{\"name\":\"PS Scavenge\",\"collections\":48,\"millis\":150}],"
                + "\"heapAfterGcPercent\":93,\"lateMillis\":0,\"maxLateMillis\":0,\"latePasses\":0,\"lastedMillis\":12000},"
                + "\"threads\":[]}\n", stall.json(TIME).get(0));
        assertTrue(stall.halts());
        assertEquals("the JVM is stalled: stopped 97.5 % of the last 4s (3.9s in 1204 pause(s)) (action panic)", stall.headline());
        assertEquals(List.of(), new WatchdogEvent.Stalled(spiral(), Action.LOG, 50, false, true).json(TIME));
        WatchdogEvent over = new WatchdogEvent.StallOver(spiral());
        assertEquals("recovered", over.kind());
        assertTrue(over.json(TIME).get(0).contains("\"action\":null,\"stall\":{\"cause\":\"pauses\""), over.json(TIME).get(0));
        assertEquals("the JVM stall is over (stop-the-world pauses, lasted 12s)", over.headline());
    }

    @Test
    void everyKindOfEventHasItsNameHeadlineAndJson() {
        Set<Class<?>> covered = new HashSet<>();
        for (WatchdogEvent e : oneOfEach()) {
            covered.add(e.getClass());
            assertFalse(e.headline().isBlank(), e.kind());
            List<String> json = e.json(TIME);
            assertEquals(1, json.size(), e.kind());
            assertTrue(json.get(0).startsWith("{\"time\":\"2026-12-05T12:00:00Z\",\"event\":\"" + e.kind() + "\","), json.get(0));
            assertTrue(json.get(0).endsWith("}\n"), json.get(0));
        }
        // A new record that this test does not know of fails here: give it a case above.
        assertEquals(new HashSet<>(Arrays.asList(WatchdogEvent.class.getPermittedSubclasses())), covered);
    }

    @Test
    void aStuckEventTellsOfNewOffenders_underPanicOfAll() {
        Offender old = offender(1, "old", false);
        Offender fresh = offender(2, "fresh", true);
        WatchdogEvent log = new WatchdogEvent.Stuck(new Incident(List.of(old, fresh), Action.LOG, Duration.ofSeconds(2),
                Incident.Dump.TAKEN, -1));
        List<String> json = log.json(TIME);
        assertEquals(1, json.size());
        assertTrue(json.get(0).contains("\"name\":\"fresh\"") && !json.get(0).contains("\"name\":\"old\""), json.get(0));
        assertEquals("1 thread(s) newly stuck (timeout 2s, action log)", log.headline());
        assertFalse(log.halts());

        WatchdogEvent repeat = new WatchdogEvent.Stuck(new Incident(List.of(old), Action.LOG, Duration.ofSeconds(2),
                Incident.Dump.REPEAT, 1));
        assertEquals(List.of(), repeat.json(TIME), "a repeat goes to the log only");

        WatchdogEvent panic = new WatchdogEvent.Stuck(new Incident(List.of(old, fresh), Action.PANIC, Duration.ofSeconds(2),
                Incident.Dump.TAKEN, -1));
        assertTrue(panic.json(TIME).get(0).contains("\"name\":\"old\""), "under panic, every offender");
        assertTrue(panic.halts());
    }

    @Test
    void eachDeadlockCycleIsAnEventOfItsOwn() {
        List<ChainLink> cycle = List.of(new ChainLink(1, "a", Thread.State.BLOCKED, "java.lang.Object@1", 1),
                new ChainLink(2, "b", Thread.State.BLOCKED, "java.lang.Object@2", 1),
                new ChainLink(1, "a", Thread.State.BLOCKED, "deadlock: back to the start of the cycle", -1));
        Offender a = offender(1, "a", true, StuckReason.DEADLOCK, cycle);
        Offender b = offender(2, "b", true, StuckReason.DEADLOCK, cycle);
        Offender spinner = offender(3, "spinner", true);
        List<String> json = new WatchdogEvent.Stuck(new Incident(List.of(a, spinner, b), Action.LOG, Duration.ofSeconds(2),
                Incident.Dump.TAKEN, -1)).json(TIME);
        assertEquals(2, json.size(), json.toString());
        assertTrue(json.get(0).contains("\"deadlock\":true") && json.get(0).contains("\"name\":\"a\"")
                && json.get(0).contains("\"name\":\"b\"") && !json.get(0).contains("spinner"), json.get(0));
        assertTrue(json.get(1).contains("spinner") && !json.get(1).contains("\"deadlock\""), json.get(1));
    }

    @Test
    void theEvidenceAddsStacks_withoutItTheSameObjectHasNone() {
        Offender o = offender(7, "pool-1-thread-1", true);
        WatchdogEvent e = new WatchdogEvent.Stuck(new Incident(List.of(o), Action.LOG, Duration.ofSeconds(2), Incident.Dump.TAKEN, -1));
        StackTraceElement frame = new StackTraceElement("demo.Spin", "run", "Spin.java", 12);
        Evidence evidence = new Evidence(java.util.Map.of(7L, new StackTraceElement[] {frame}), java.util.Map.of(), java.util.Map.of());
        String withStack = e.json(TIME, evidence).get(0);
        String without = e.json(TIME).get(0);
        assertTrue(withStack.contains("\"stack\":[\"demo.Spin.run(Spin.java:12)\"]"), withStack);
        assertTrue(without.contains("\"stack\":[]"), without);
        assertEquals(without, withStack.replace("\"demo.Spin.run(Spin.java:12)\"", ""));
        List<String> kinds = new ArrayList<>();
        oneOfEach().forEach(x -> kinds.add(x.kind()));
        assertEquals(List.of("stuck", "recovered", "interrupted", "shutdown-timeout", "startup-timeout", "watchdog-stuck",
                "jvm-stall", "recovered"), kinds,
                "the events schema's names (README, Events file)");
    }
}
