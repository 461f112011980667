package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.PoolTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "out of the box on other pools": with default options (no {@code entry=}), a task of a
 * pool or job runner the agent knows is judged like an executor task. A task spinning for ever is
 * reported ({@code no-progress}), so is one blocked in a socket read ({@code uninterruptible-wait}); a
 * pool that ran a burst of tasks and then idles, with a little periodic work, is never reported. One
 * subclass per library supplies the program ({@link PoolTasks} says what each one does) and the unit
 * its tasks run in; the tests are the same for all.
 *
 * <p>The agent gets {@code timeout=2s} and an events file, nothing else.
 */
abstract class PoolContract {

    /** 3x the timeout: long enough for any false alarm to be raised. */
    static final Duration SILENT_FOR = Duration.ofSeconds(6);
    /**
     * Passes the watchdog must have made by the end of the quiet time: half of those the quiet time
     * alone holds at the period of a 2 s timeout (500 ms), so that a loaded machine's late loop
     * still counts, while a loop that never ran cannot.
     */
    static final int MIN_PASSES = (int) (SILENT_FOR.toMillis() / 500 / 2);
    private static final Pattern ANY_MENTION_OF_STUCK = Pattern.compile("(?i)stuck");
    private static final String SPIN_FRAME = ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.spinForever");
    private static final String READ_FRAME = ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.readFromSilentPeer");

    /** The pool program, with its libraries on the class path; the tests add the agent. */
    abstract JvmProcess.Builder pool();

    /** {@code Class.method} of the unit a task runs in: the {@code entry} of its thread. */
    abstract String unit();

    /** The unit of the socket read, when the program runs it elsewhere (Kotlin: on Dispatchers.IO). */
    String readUnit() {
        return unit();
    }

    /**
     * The {@code entry} a report gives the spinning task's thread: the unit, and for a unit of the
     * JDK's the task it runs, named by its first frame outside the JDK ({@code (task Class.method)}).
     */
    String entry() {
        return unit();
    }

    /** The same for the socket read: the spin's, when both run in the same unit. */
    String readEntry() {
        return readUnit().equals(unit()) ? entry() : readUnit();
    }

    /**
     * A burst of short tasks, then 3x the timeout of idle workers taking a short task every 200 ms:
     * nothing at all is reported. The watchdog was on and judging this JVM all along (it said it
     * started; {@code status} counts its passes), and it watches this very pool: a task that then
     * spins in it is reported, with everything a report says.
     */
    @Test
    void busyThenIdlePoolIsNeverReported_butASpinningTaskIs(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            app.sendLine("burst");
            app.awaitStdout("app: burst done", Deadlines.START);
            app.assertStderrStaysFreeOf(ANY_MENTION_OF_STUCK, SILENT_FOR); // the scenario's idle time

            String err = app.stderr();
            assertTrue(err.contains("JVM Watchdog started: timeout 2s, period 500ms, action log"),
                    () -> "the watchdog was on\n" + app.describe());
            assertFalse(err.contains("WARN  [jvm-watchdog]"), () -> "nothing to warn about\n" + app.describe());
            assertFalse(err.contains("Full thread dump"), () -> "no dump\n" + app.describe());
            EventsFile file = new EventsFile(events);
            assertEquals(List.of(), file.events(), () -> "no events, got:\n" + file.raw());
            JvmProcess.Result status = WatchdogCli.run(Deadlines.CLI, "status", Long.toString(app.pid()));
            assertEquals(0, status.exitCode, status::describe);
            Matcher passes = Pattern.compile("(?m)^passes (\\d+), stuck detected 0, ").matcher(status.stdout);
            assertTrue(passes.find(), () -> "status counts passes and no stuck thread\n" + status.describe());
            assertTrue(Integer.parseInt(passes.group(1)) >= MIN_PASSES,
                    () -> "the watchdog made at least " + MIN_PASSES + " passes\n" + status.describe());

            app.sendLine(PoolTasks.SPIN);
            app.awaitStdout("app: spinning", Deadlines.START);
            String name = assertSpinReported(app, file, unit(), entry());
            assertEquals(Set.of(name), StuckEvents.stuckThreadNames(file),
                    () -> "the spinning task's thread is the only offender\n" + file.raw() + "\n" + app.describe());
        }
    }

    @Test
    void taskBlockedInASocketReadIsReported(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            app.sendLine(PoolTasks.READ);
            app.awaitStdout("app: reading", Deadlines.START);
            EventsFile file = new EventsFile(events);
            String name = assertReadReported(app, file, readUnit(), readEntry());
            assertEquals(Set.of(name), StuckEvents.stuckThreadNames(file),
                    () -> "the reading task's thread is the only offender\n" + file.raw() + "\n" + app.describe());
        }
    }

    JvmProcess start(Path events, Path tmp) {
        JvmProcess app = pool().agent("timeout=2s,events=" + events).tmpDir(tmp).start();
        app.awaitStdout("app: ready", Deadlines.START);
        app.awaitInstrumentation();
        return app;
    }

    /**
     * Waits for the report of the thread spinning in {@code PoolTasks.spinForever} and checks it: its
     * {@code stuck} event (entry {@code unit}, no detail, {@code no-progress}, running) and its
     * summary line on stderr. Returns the thread's name.
     */
    static String assertSpinReported(JvmProcess app, EventsFile file, String unit) {
        return assertSpinReported(app, file, unit, unit);
    }

    /** As {@link #assertSpinReported(JvmProcess, EventsFile, String)}, the report's entry being {@code entry}. */
    static String assertSpinReported(JvmProcess app, EventsFile file, String unit, String entry) {
        Map<String, Object> t = StuckEvents.awaitThread(file, StuckEvents.inFrame(SPIN_FRAME),
                "the thread spinning in a task", Deadlines.DETECT, app);
        String name = (String) t.get("name");
        long id = (Long) t.get("id");
        assertEquals(entry, t.get("entry"), () -> "thread " + t);
        assertNull(t.get("detail"), () -> "a task has no detail: " + t);
        assertEquals("no-progress", t.get("reason"), () -> "thread " + t);
        assertEquals("RUNNABLE", t.get("state"), () -> "thread " + t);
        assertNull(t.get("blockedOn"), () -> "thread " + t);
        assertTrue((Long) t.get("stuckMillis") >= 2000, () -> "reported before the timeout: " + t);
        assertStackReaches(t, unit);
        app.awaitStderr(Pattern.compile("\\t\"" + Pattern.quote(name) + "\" #" + id
                + " running with no progress for \\d+(?:\\.\\d+)?s \\(RUNNABLE\\), entry " + Pattern.quote(entry)
                + " \\[new]\\R"), Deadlines.DETECT);
        app.awaitStderr("Stuck thread \"" + name + "\" #" + id + ":", Deadlines.DETECT);
        return name;
    }

    /**
     * Waits for the report of the thread reading in {@code PoolTasks.readFromSilentPeer} and checks
     * it: entry {@code unit}, {@code uninterruptible-wait} in a socket read, and its summary line.
     * Returns the thread's name.
     */
    static String assertReadReported(JvmProcess app, EventsFile file, String unit) {
        return assertReadReported(app, file, unit, unit);
    }

    /** As {@link #assertReadReported(JvmProcess, EventsFile, String)}, the report's entry being {@code entry}. */
    static String assertReadReported(JvmProcess app, EventsFile file, String unit, String entry) {
        Map<String, Object> t = StuckEvents.awaitThread(file, StuckEvents.inFrame(READ_FRAME),
                "the thread reading in a task", Deadlines.DETECT, app);
        String name = (String) t.get("name");
        long id = (Long) t.get("id");
        assertEquals(entry, t.get("entry"), () -> "thread " + t);
        assertNull(t.get("detail"), () -> "a task has no detail: " + t);
        assertEquals("uninterruptible-wait", t.get("reason"), () -> "thread " + t);
        assertEquals("socket read (sun.nio.ch.NioSocketImpl.read)", t.get("blockedOn"), () -> "thread " + t);
        assertEquals("RUNNABLE", t.get("state"), () -> "thread " + t);
        assertEquals(Boolean.FALSE, t.get("interruptible"), () -> "thread " + t);
        assertTrue((Long) t.get("stuckMillis") >= 2000, () -> "reported before the timeout: " + t);
        assertTrue(EventsFile.stack(t).stream().anyMatch(f -> f.startsWith(ServerReports.frame("sun.nio.ch.NioSocketImpl.read"))),
                () -> "the stack shows the read: " + t);
        assertStackReaches(t, unit);
        app.awaitStderr(ServerReports.summaryLine(name, id, entry), Deadlines.DETECT);
        app.awaitStderr("Stuck thread \"" + name + "\" #" + id + ":", Deadlines.DETECT);
        return name;
    }

    private static void assertStackReaches(Map<String, Object> t, String unit) {
        assertTrue(EventsFile.stack(t).stream().anyMatch(f -> f.startsWith(ServerReports.frame(unit))),
                () -> "a frame of the unit " + unit + " in the stack: " + t);
    }
}
