package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.BlockingApp;
import io.jvmwatchdog.it.apps.BusyServiceApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking briefly, all the time, is healthy: a service doing socket round trips, file I/O, sleeps and
 * contended locks in executor tasks, with an acceptor and a selector idle for the whole run, gets no
 * report in 3x the timeout. And the watchdog's passes never stop the world: only a report (the dump)
 * and a deadlock search do, which the positive control shows the safepoint log would catch.
 */
class HealthyBlockingIT {

    private static final Pattern DONE = Pattern.compile(
            "app: done round-trips=(\\d+) file-ops=(\\d+) lock-ops=(\\d+) naps=(\\d+)");
    /** The watchdog's only stop-the-world VM operations: dumpAllThreads and findDeadlockedThreads. */
    private static final List<String> WATCHDOG_SAFEPOINTS = List.of("ThreadDump", "FindDeadlocks");
    private static final Pattern ADOPTION_WINDOW = Pattern.compile(
            "JVM Watchdog install: [^\\n]*; (?:no stacks read for adoption|stacks read for adoption[^\\n]*? from (\\d+) to (\\d+) ms after JVM start)");

    @Test
    void busyBlockingServiceRunsThreeTimeoutsSilently_andItsPassesNeverStopTheWorld(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        SafepointLog safepoints = new SafepointLog(tmp.resolve("safepoints.log"));
        // timeout 2s; the program runs 6 s (3x) and then exits by itself
        try (JvmProcess app = JvmProcess.app(BusyServiceApp.class).args("6000")
                .jvmArg(safepoints.jvmArg()).jvmArg("-Dwatchdog.debug=true")
                // The JVM verifies the JDK classes the agent wove too (it trusts its own by default),
                // so a stack map frame the weaver got wrong fails this run.
                .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(0, status, () -> "exit status\n" + app.describe());
            Matcher done = DONE.matcher(app.stdout());
            assertTrue(done.find(), () -> "the program ran to its end\n" + app.describe());
            // Busy for real, or the silence would mean nothing.
            assertTrue(Long.parseLong(done.group(1)) >= 1000, () -> "thousands of round trips\n" + app.describe());
            assertTrue(Long.parseLong(done.group(2)) >= 100, () -> "file I/O\n" + app.describe());
            assertTrue(Long.parseLong(done.group(3)) >= 1000, () -> "lock traffic\n" + app.describe());
            assertTrue(Long.parseLong(done.group(4)) >= 20, () -> "naps\n" + app.describe());

            String err = app.stderr();
            assertTrue(err.contains("JVM Watchdog started: timeout 2s, period 500ms, action log"),
                    () -> "the watchdog was on\n" + app.describe());
            // ... with its probes in place on this JDK, so every blocking call above was seen.
            Matcher probes = Pattern.compile("JVM Watchdog probes: ([^\\n]*)").matcher(err);
            assertTrue(probes.find(), () -> "the probes' self-test line\n" + app.describe());
            for (String probe : List.of("socket-read sun.nio.ch.NioSocketImpl", "socket-write sun.nio.ch.NioSocketImpl",
                    "socket-connect sun.nio.ch.NioSocketImpl", "socket-read sun.nio.ch.SocketChannelImpl",
                    "socket-write sun.nio.ch.SocketChannelImpl", "accept sun.nio.ch.NioSocketImpl",
                    "file-io java.io.FileInputStream", "file-io java.io.FileOutputStream", "file-io java.io.RandomAccessFile",
                    "file-io sun.nio.ch.FileChannelImpl", "lock java.util.concurrent.locks.AbstractQueuedSynchronizer",
                    "select sun.nio.ch.SelectorImpl")) {
                assertTrue(Pattern.compile("(?:^|; )" + Pattern.quote(probe) + ": (?:woven|fired)").matcher(probes.group(1)).find(),
                        () -> probe + " is woven\n" + probes.group());
            }

            assertFalse(err.toLowerCase(Locale.ROOT).contains("stuck"), () -> "a false alarm\n" + app.describe());
            assertFalse(err.contains("WARN"), () -> "nothing to warn about\n" + app.describe());
            assertFalse(err.contains("Full thread dump"), () -> "no dump\n" + app.describe());
            EventsFile file = new EventsFile(events);
            assertEquals(0, file.events().size(), () -> "no events, got:\n" + file.raw());

            List<String> ops = safepoints.operations();
            assertFalse(ops.isEmpty(), () -> "the safepoint log works (the agent's install redefines classes): "
                    + safepoints.raw());
            // The install's one read of every stack, for adoption, is the only stop it may make: its
            // window is in the debug log; outside it, none.
            Matcher adoption = ADOPTION_WINDOW.matcher(err);
            assertTrue(adoption.find(), () -> "the install says whether and when it read the stacks\n" + app.describe());
            boolean read = adoption.group(1) != null; // the threads older than the weaver, or none
            double from = read ? Long.parseLong(adoption.group(1)) / 1000.0 - 0.05 : Double.MAX_VALUE;
            double to = read ? Long.parseLong(adoption.group(2)) / 1000.0 + 0.05 : -1;
            List<SafepointLog.Pause> stops = safepoints.pauses().stream()
                    .filter(p -> WATCHDOG_SAFEPOINTS.contains(p.operation()))
                    .filter(p -> p.uptimeSeconds() < from || p.uptimeSeconds() > to).toList();
            assertEquals(List.of(), stops, () -> "the watchdog stopped a healthy JVM outside its install's stack read ("
                    + from + "-" + to + " s); safepoints: " + ops + "\n" + app.describe());
        }
    }

    /**
     * The positive control of the safepoint assertion above: a deadlock makes the watchdog search for
     * deadlocks and dump the threads, and both show in the same log, on both JDKs.
     */
    @Test
    void aReportIsWhereTheWatchdogStopsTheWorld(@TempDir Path tmp) {
        SafepointLog safepoints = new SafepointLog(tmp.resolve("safepoints.log"));
        try (JvmProcess app = JvmProcess.app(BlockingApp.class).args("monitor-deadlock")
                .jvmArg(safepoints.jvmArg()).agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr("JVM Watchdog detected 2 stuck thread(s)", Deadlines.DETECT);
            app.awaitStderr("Full thread dump", Deadlines.DETECT);
            safepoints.await("FindDeadlocks", Deadlines.DETECT, app);
            safepoints.await("ThreadDump", Deadlines.DETECT, app);
            List<String> ops = safepoints.operations();
            assertTrue(ops.indexOf("FindDeadlocks") < ops.lastIndexOf("ThreadDump"),
                    () -> "the search finds the deadlock, then the report dumps: " + ops);
        }
    }

    /**
     * A child process alive longer than the timeout is no hang: the JDK waits for it on its own
     * "process reaper" pool thread, in native waitpid, as long as the child lives.
     */
    @Test
    void aLongLivedChildProcessIsNoFalseAlarm(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(BusyServiceApp.class).args("6000", "--with-child")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(0, status, () -> "exit status\n" + app.describe());
            assertTrue(DONE.matcher(app.stdout()).find(), () -> "the program ran to its end\n" + app.describe());
            assertFalse(app.stderr().toLowerCase(Locale.ROOT).contains("stuck"), () -> "a false alarm\n" + app.describe());
            EventsFile file = new EventsFile(events);
            assertEquals(0, file.events().size(), () -> "no events, got:\n" + file.raw());
        }
    }
}
