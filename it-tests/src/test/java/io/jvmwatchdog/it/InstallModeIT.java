package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.EarlyWorkApp;
import io.jvmwatchdog.it.apps.MainLockWaitApp;
import io.jvmwatchdog.it.apps.SpinningApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the instrumentation is installed at launch: by default the weaver is in place before
 * {@code main} (every class a row names is woven as it loads, so nothing runs unwoven) and the
 * watchdog is made once the start settles; with {@code install=before-main} all of it ends before {@code main}
 * begins; with {@code install=background} nothing waits, and work already under way
 * when the install ends is adopted from its stack (an executor task, an {@code entry=} method, a
 * blocking call); with {@code install=after-start} the same, once the start has settled.
 */
class InstallModeIT {

    private static final Pattern ACTIVE = Pattern.compile(
            "JVM Watchdog loaded: instrumentation active (\\d+) ms after JVM start; (\\d+) task\\(s\\) already running are watched");
    private static final Pattern MAIN_AT = Pattern.compile("app: main at (\\d+) ms");
    private static final Pattern SPINNING_TASK_REPORT = Pattern.compile(
            "\"pool-\\d+-thread-\\d+\" #\\d+ running with no progress for ([0-9.]+)s \\(RUNNABLE\\),"
            + " entry java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker"
            + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]");

    /** When {@code main} began and the instrumentation became active, and how many tasks were adopted. */
    private record Launch(long mainAt, long activeAt, String adopted, JvmProcess app) {
    }

    /** Launches the spinning program with {@code options}, checks its timings, then awaits its task's report. */
    private static void launchSpinning(Path tmp, String options, Consumer<Launch> check) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent(options)
                .args("--print-uptime").tmpDir(tmp).start()) {
            Matcher main = app.awaitStdout(MAIN_AT, Deadlines.START);
            Matcher active = app.awaitStderr(ACTIVE, Deadlines.START);
            check.accept(new Launch(Long.parseLong(main.group(1)), Long.parseLong(active.group(1)), active.group(2), app));
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
        }
    }

    @Test
    void byDefault_theWeaverIsInPlaceBeforeMain_soWorkItStartsAtOnceRunsWoven(@TempDir Path tmp) {
        launchSpinning(tmp, "timeout=2s", l -> {
            assertTrue(l.activeAt() <= l.mainAt(), () -> "instrumentation active at " + l.activeAt() + " ms, main at "
                    + l.mainAt() + " ms: main ran before the weaver\n" + l.app().describe());
            // The pool main makes at once is woven as its class loads: its task runs woven code from
            // its first instruction, and nothing had to be adopted (the watchdog is made beside main).
            assertTrue(l.adopted().equals("0"), () -> "nothing ran unwoven to adopt\n" + l.app().describe());
        });
    }

    /**
     * The watchdog itself is made once the start settles (at the latest when its first pass is
     * due), not beside main's first steps; its first pass runs at once, so a task stuck since main
     * began is still caught a timeout after that pass, as before.
     */
    @Test
    void byDefault_theWatchdogIsMadeAfterMain_andTimesATaskStuckSinceMainFromItsFirstPass(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s").jvmArg("-Dwatchdog.debug=true")
                .args("--print-uptime").tmpDir(tmp).start()) {
            long mainAt = Long.parseLong(app.awaitStdout(MAIN_AT, Deadlines.START).group(1));
            Matcher made = app.awaitStderr(Pattern.compile("JVM Watchdog made (\\d+) ms after JVM start: (.+)"), Deadlines.START);
            long madeAt = Long.parseLong(made.group(1));
            assertTrue(madeAt > mainAt, () -> "made at " + madeAt + " ms, main at " + mainAt + " ms\n" + app.describe());
            assertTrue(made.group(2).equals("its first pass was due") || made.group(2).equals("the application's start settled"),
                    () -> "why: " + made.group(2) + "\n" + app.describe());
            // Woven as main made its pool, before the log existed: said once the log is made.
            app.awaitStderr("JVM Watchdog: instrumented java.util.concurrent.ThreadPoolExecutor\n", Deadlines.START);
            // Only the JVM's own threads are older than the weaver: only their stacks are read for adoption.
            Matcher read = app.awaitStderr(Pattern.compile("JVM Watchdog install: watchdog \\d+ ms, instrumentation \\d+ ms;"
                    + " stacks read for adoption \\((\\d+) thread\\(s\\) older than the weaver\\)"), Deadlines.START);
            int older = Integer.parseInt(read.group(1));
            assertTrue(older >= 1 && older < 16, () -> older + " threads older than the weaver\n" + app.describe());
            Matcher report = app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
            double stuckFor = Double.parseDouble(report.group(1));
            assertTrue(stuckFor >= 2.0 && stuckFor < 3.0, () -> "stuck for " + stuckFor + " s: the timeout counts from"
                    + " the first pass, which ran at once (2 s to 2.5 s)\n" + app.describe());
        }
    }

    @Test
    void beforeMain_theWholeInstallEndsBeforeMainBegins(@TempDir Path tmp) {
        launchSpinning(tmp, "timeout=2s,install=before-main", l -> {
            assertTrue(l.activeAt() <= l.mainAt(), () -> "installed at " + l.activeAt() + " ms, main at " + l.mainAt()
                    + " ms\n" + l.app().describe());
            assertTrue(l.adopted().equals("0"), () -> "nothing ran before main to adopt\n" + l.app().describe());
        });
    }

    /**
     * With {@code install=background} main does not wait for the weaver, so whatever may have begun
     * in old code is read from every thread's stack, and a task main started at once is caught. (The
     * order itself is no longer observable from the outside: the weaver is in place within a few
     * milliseconds of premain's return, sooner than main's first line can print the JVM's uptime,
     * which loads the management classes.)
     */
    @Test
    void inTheBackground_everyStackIsReadForAdoption_andATaskStartedInTheWindowIsStillCaught(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s,install=background")
                .jvmArg("-Dwatchdog.debug=true").args("--print-uptime").tmpDir(tmp).start()) {
            app.awaitStderr(Pattern.compile("JVM Watchdog install: watchdog \\d+ ms, instrumentation \\d+ ms;"
                    + " stacks read for adoption \\(every thread\\)"), Deadlines.START);
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
        }
    }

    /**
     * With {@code install=after-start} the start runs with no transformer at all: a JDK class a row
     * names, loaded by {@code main}, loads as it is and is rewritten only when the install runs
     * (the JVM logs a redefinition; by default the weaver rewrites it as it loads, and none is
     * logged: the control). Once the start settles the whole install runs, and the task {@code
     * main} started is adopted from its stack and reported.
     */
    @Test
    void afterStart_theStartRunsWithNoTransformer_andATaskItStartedIsAdoptedOnceItSettles(@TempDir Path tmp) {
        String redefined = "java.util.concurrent.ThreadPoolExecutor source: __VM_RedefineClasses__";
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s,install=after-start")
                .jvmArg("-Dwatchdog.debug=true").jvmArg("-Xlog:class+load").args("--print-uptime").tmpDir(tmp).start()) {
            long mainAt = Long.parseLong(app.awaitStdout(MAIN_AT, Deadlines.START).group(1));
            app.awaitStderr(Pattern.compile("JVM Watchdog made \\d+ ms after JVM start: (the application's start settled"
                    + "|its first pass was due)"), Deadlines.START);
            Matcher active = app.awaitStderr(ACTIVE, Deadlines.START);
            assertTrue(Long.parseLong(active.group(1)) > mainAt, app::describe);
            assertEquals("1", active.group(2), () -> "the spinning task is adopted\n" + app.describe());
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
            assertTrue(app.stdout().contains(redefined), () -> "the pool class loaded unwoven, woven at the install\n"
                    + app.describe());
        }
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s").jvmArg("-Xlog:class+load")
                .args("--print-uptime").tmpDir(tmp).start()) {
            app.awaitStderr(SPINNING_TASK_REPORT, Deadlines.DETECT);
            assertTrue(app.stdout().contains("java.util.concurrent.ThreadPoolExecutor source: "), app::describe);
            assertFalse(app.stdout().contains(redefined), () -> "by default the weaver rewrote it as it loaded\n"
                    + app.describe());
        }
    }

    /** With {@code install=after-start} too: both found on their stacks once the start settles, and reported. */
    @Test
    void afterStart_aLockWaitAndAnEntryMethodInASocketRead_begunInTheStart_areReported(@TempDir Path tmp) {
        assertEarlyWorkReported(tmp, "install=after-start");
    }

    /**
     * A lock wait outside any unit and an {@code entry=} method in a socket read, both begun before
     * the install ended: found on their stacks, and reported like the same hangs begun later.
     */
    @Test
    void inTheBackground_aLockWaitAndAnEntryMethodInASocketRead_begunInTheWindow_areReported(@TempDir Path tmp) {
        assertEarlyWorkReported(tmp, "install=background");
    }

    /**
     * By default too: an agent loaded before this one started work in its premain, before the weaver
     * existed; its threads are the few whose stacks are read when the watchdog is made.
     */
    @Test
    void byDefault_aLockWaitAndAnEntryMethodInASocketRead_begunByAnEarlierAgent_areReported(@TempDir Path tmp) {
        assertEarlyWorkReported(tmp, "install=beside-main");
    }

    /**
     * A lock wait {@code main} begins at once, in {@code AbstractQueuedSynchronizer}, a class the JVM
     * loaded before any agent: woven before {@code main} by default, so the wait is seen to begin.
     * (Woven beside {@code main} instead, 20 ms sooner to {@code main}, the wait began in old code
     * after {@code main} had run woven code elsewhere, and adoption, which leaves alone a thread the
     * woven code knows, missed it: this test caught that.)
     */
    @Test
    void byDefault_aLockWaitMainBeginsAtOnce_isReported(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(MainLockWaitApp.class).agent("timeout=2s").tmpDir(tmp).start()) {
            long waitingAt = Long.parseLong(app.awaitStdout(Pattern.compile("app: main waiting for the lock at (\\d+) ms"),
                    Deadlines.START).group(1));
            long activeAt = Long.parseLong(app.awaitStderr(ACTIVE, Deadlines.START).group(1));
            Matcher report = app.awaitStderr(Pattern.compile("\\t\"main\" #\\d+ waiting to acquire a lock for ([0-9.]+)s"),
                    Deadlines.DETECT);
            assertTrue(Double.parseDouble(report.group(1)) >= 2.0, () -> "main waiting at " + waitingAt
                    + " ms, instrumentation active at " + activeAt + " ms\n" + app.describe());
        }
    }

    /** Runs {@link EarlyWorkApp}, whose work begins in an earlier agent's premain, and awaits its two reports. */
    private static void assertEarlyWorkReported(Path tmp, String installOption) {
        try (JvmProcess app = JvmProcess.app(EarlyWorkApp.class).jvmArg("-javaagent:" + premainJar(tmp, EarlyWorkApp.class))
                .agent("timeout=2s," + installOption + ",entry=" + EarlyWorkApp.class.getName() + "#readForever")
                .tmpDir(tmp).start()) {
            Matcher early = app.awaitStdout(Pattern.compile("app: early work under way at (\\d+) ms"), Deadlines.START);
            Matcher active = app.awaitStderr(ACTIVE, Deadlines.START);
            long earlyAt = Long.parseLong(early.group(1));
            long activeAt = Long.parseLong(active.group(1));
            // Positive control: otherwise the woven code saw it all begin, and this proves nothing.
            assertTrue(earlyAt < activeAt, () -> "the work began at " + earlyAt + " ms, after the weaver ("
                    + activeAt + " ms)\n" + app.describe());
            assertEquals("1", active.group(2), () -> "the entry method is the one unit under way\n" + app.describe());
            app.awaitStderr(Pattern.compile("\\t\"early-lock-waiter\" #\\d+ waiting to acquire a lock for [0-9.]+s"),
                    Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("\\t\"early-reader\" #\\d+ in one uninterruptible wait for [0-9.]+s"
                    + " \\(RUNNABLE\\): socket read \\(sun\\.nio\\.ch\\.NioSocketImpl\\.read\\),"
                    + " entry " + Pattern.quote(EarlyWorkApp.class.getName() + ".readForever")), Deadlines.DETECT);
        }
    }

    /**
     * A jar that only names {@code premainClass} as its agent (the class itself comes from the class
     * path): put before the watchdog's on the command line, its premain runs first.
     */
    private static String premainJar(Path tmp, Class<?> premainClass) {
        Path jar = tmp.resolve("early-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", premainClass.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush(); // the manifest is the whole jar
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar.toString();
    }
}
