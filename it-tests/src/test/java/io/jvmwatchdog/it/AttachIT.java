package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HelloApp;
import io.jvmwatchdog.it.apps.SpinningApp;
import io.jvmwatchdog.it.apps.TwinApp;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar watchdog.jar attach <pid> [options]}: the agent loaded into a running JVM. */
class AttachIT {

    private static final Pattern SPINNING_TASK_REPORT = Pattern.compile(
            "JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
            + "\\t\"pool-\\d+-thread-\\d+\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\),"
            + " entry java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker"
            + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]");

    @Test
    void attachCatchesATaskThatWasAlreadySpinning_thenReconfigures(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            String pid = Long.toString(app.pid());

            JvmProcess.Result first = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=2s");
            assertEquals(0, first.exitCode, () -> "attach\n" + first.describe() + "\n" + app.describe());
            assertTrue(first.stdout.startsWith("watchdog: attached to process " + pid + " (timeout=2s,action=log,"),
                    () -> "attach\n" + first.describe());
            assertEquals(List.of(), Lines.meaningful(first.stderr), () -> "attach\n" + first.describe());
            app.awaitStderr("ms after JVM start; 1 task(s) already running are watched", Deadlines.START);
            app.awaitStderr("INFO  [jvm-watchdog] JVM Watchdog started: timeout 2s, period 500ms, action log",
                    Deadlines.START);
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("\\[STUCK: running with no progress for [0-9.]+s]"), Deadlines.DETECT);

            JvmProcess.Result second = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=3s");
            assertEquals(0, second.exitCode, () -> "second attach\n" + second.describe() + "\n" + app.describe());
            assertTrue(second.stdout.startsWith("watchdog: reconfigured the watchdog in process " + pid
                    + ": timeout 2s -> 3s, period 500ms -> 750ms; now timeout=3s,action=log,period=750ms,"),
                    () -> "second attach\n" + second.describe());
            app.awaitStderr("JVM Watchdog started: timeout 3s, period 750ms, action log", Deadlines.START);
        }
    }

    /**
     * A second attach changes what it names and nothing else: {@code timeout=5m} given later does not
     * turn the {@code action=panic} of the first attach back into the default {@code log}. The panic
     * that follows proves it.
     */
    @Test
    void aSecondAttachKeepsEveryOptionItDoesNotName(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--wait-for-go").tmpDir(tmp).start()) {
            app.awaitStdout("app: waiting for go", Deadlines.START);
            String pid = Long.toString(app.pid());
            JvmProcess.Result first = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=2s,action=panic,panic-min-threads=1");
            assertEquals(0, first.exitCode, () -> "first attach\n" + first.describe() + "\n" + app.describe());
            JvmProcess.Result second = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=3s");
            assertEquals(0, second.exitCode, () -> "second attach\n" + second.describe() + "\n" + app.describe());
            assertTrue(second.stdout.startsWith("watchdog: reconfigured the watchdog in process " + pid
                    + ": timeout 2s -> 3s, period 500ms -> 750ms; now timeout=3s,action=panic,period=750ms,"),
                    () -> "second attach\n" + second.describe());
            app.awaitStderr("JVM Watchdog reconfigured by attach: timeout 2s -> 3s, period 500ms -> 750ms; every option"
                    + " it did not name keeps its value (timeout=3s,action=panic,", Deadlines.START);
            app.sendLine("go");
            assertEquals(70, app.awaitExit(Deadlines.DETECT.plus(Deadlines.EXIT)),
                    () -> "still action=panic: the spinning task halts the JVM\n" + app.describe());
            assertTrue(app.stderr().contains("JVM Watchdog detected 1 stuck thread(s) (timeout 3s, action panic)"),
                    () -> "under the new timeout\n" + app.describe());
        }
    }

    /**
     * An option only the target can check (here an events file in a directory it does not have) is
     * said by the attaching command, one line, status 2, and never on the target's own stderr: one
     * attaches when a JVM seems stuck, which is when its stderr may be a pipe nobody reads.
     */
    @Test
    void anOptionTheTargetRejects_isSaidByTheCommand_neverOnTheTargetsStderr(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--wait-for-go").tmpDir(tmp).start()) {
            app.awaitStdout("app: waiting for go", Deadlines.START);
            String pid = Long.toString(app.pid());
            Path events = tmp.resolve("no-such-dir").resolve("events.jsonl");
            JvmProcess.Result r = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=2s,events=" + events);
            assertEquals(2, r.exitCode, () -> "rejected\n" + r.describe() + "\n" + app.describe());
            assertEquals(List.of("watchdog: cannot open '" + events + "' for 'events' (No such file or directory; expected"
                    + " a writable file path)"), Lines.meaningful(r.stderr), () -> "one line\n" + r.describe());
            String err = app.stderr();
            assertFalse(err.contains(events.toString()) || err.contains("watchdog:"),
                    () -> "nothing on the target's stderr\n" + app.describe());
            assertTrue(app.isAlive(), () -> "the target lives on\n" + app.describe());
        }
    }

    @Test
    void attachWatchesNewJobsOfPoolWorkersThatStartedBeforeIt(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--pool-first", "--wait-for-go").tmpDir(tmp).start()) {
            app.awaitStdout("app: waiting for go", Deadlines.START);
            JvmProcess.Result attach = WatchdogCli.run(Deadlines.CLI, "attach", Long.toString(app.pid()), "timeout=2s");
            assertEquals(0, attach.exitCode, () -> "attach\n" + attach.describe() + "\n" + app.describe());
            app.awaitStderr("ms after JVM start; 0 task(s) already running are watched", Deadlines.START);
            app.sendLine("go");
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
        }
    }

    @Test
    void badOptionIsRejectedWithoutTouchingTheTarget(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--wait-for-go").tmpDir(tmp).start()) {
            app.awaitStdout("app: waiting for go", Deadlines.START);
            String pid = Long.toString(app.pid());

            JvmProcess.Result bad = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=3x");
            assertEquals(2, bad.exitCode, () -> "bad attach\n" + bad.describe());
            assertEquals(List.of("watchdog: invalid value '3x' for 'timeout' (expected a duration such as 500ms, 30s,"
                    + " 3m, 1h or PT3M)"), Lines.meaningful(bad.stderr), () -> "bad attach\n" + bad.describe());
            assertEquals("", bad.stdout, () -> "bad attach\n" + bad.describe());
            assertTrue(app.isAlive(), () -> "the target lives on\n" + app.describe());

            // Untouched: a good attach afterwards is the first load ("attached", not "reconfigured"),
            // and the target printed nothing of the agent's before it.
            String before = app.stderr();
            assertFalse(before.contains("watchdog") || before.contains("Java agent"),
                    () -> "the bad attach reached the target\n" + app.describe());
            JvmProcess.Result good = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=2s");
            assertEquals(0, good.exitCode, () -> "good attach\n" + good.describe() + "\n" + app.describe());
            assertTrue(good.stdout.startsWith("watchdog: attached to process " + pid + " "),
                    () -> "good attach\n" + good.describe());
        }
    }

    @Test
    void attachToADeadProcessFailsWithNoSuchProcess(@TempDir Path tmp) {
        long pid;
        try (JvmProcess gone = JvmProcess.app(HelloApp.class).tmpDir(tmp).start()) {
            assertEquals(0, gone.awaitExit(Deadlines.EXIT), gone::describe);
            pid = gone.pid();
        }
        JvmProcess.Result r = WatchdogCli.run(Deadlines.CLI, "attach", Long.toString(pid), "timeout=2s");
        assertEquals(1, r.exitCode, () -> "exit status\n" + r.describe());
        assertEquals(List.of("watchdog: cannot attach to process " + pid + ": no such process"),
                Lines.meaningful(r.stderr), () -> "stderr\n" + r.describe());
        assertEquals("", r.stdout, () -> "stdout\n" + r.describe());
    }

    /**
     * A class defined by two loaders before the agent came (two web applications, each with its copy
     * of a library): attach weaves both copies, so a thread entering either is watched. Woven by name
     * alone, the second copy stayed as it was, and its thread spun unseen.
     */
    @Test
    void attachWeavesEachCopyOfAClassThatTwoLoadersDefined(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(TwinApp.class).jvmArg("-Dwatchdog.debug=true").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            String pid = Long.toString(app.pid());
            String twin = TwinApp.Twin.class.getName();
            JvmProcess.Result attach = WatchdogCli.run(Deadlines.CLI, "attach", pid, "timeout=2s,entry=" + twin + "#work");
            assertEquals(0, attach.exitCode, () -> "attach\n" + attach.describe() + "\n" + app.describe());
            app.awaitStderr("JVM Watchdog started: timeout 2s", Deadlines.START);
            app.awaitStderr("JVM Watchdog: instrumented " + twin + "\n", Deadlines.START);
            app.sendLine("go");
            app.awaitStdout("app: working", Deadlines.START);
            for (String thread : List.of("twin-1", "twin-2")) {
                app.awaitStderr(Pattern.compile("\\t\"" + thread + "\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\),"
                        + " entry " + Pattern.quote(twin + ".work")), Deadlines.DETECT);
            }
        }
    }
}
