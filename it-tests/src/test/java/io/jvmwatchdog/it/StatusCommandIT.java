package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status <pid>} and {@code list} against live JVMs, and their errors. */
class StatusCommandIT {

    @Test
    void statusShowsTheWatchedThreadsAsATable_andListShowsWhereTheWatchdogRuns(@TempDir Path tmp) throws Exception {
        try (JvmProcess watched = JvmProcess.app(SpinningApp.class).agent("timeout=2s").tmpDir(tmp).start();
             JvmProcess bare = JvmProcess.app(SpinningApp.class).args("--wait-for-go").tmpDir(tmp).start()) {
            watched.awaitStderr(Pattern.compile("JVM Watchdog detected 1 stuck thread"), Deadlines.DETECT);
            bare.awaitStdout("app: waiting for go", Deadlines.START);
            String pid = Long.toString(watched.pid());

            assertEquals(Set.of(), ListeningSockets.of(watched.pid()), "nothing listens before");
            JvmProcess.Result status = WatchdogCli.run(Deadlines.CLI, "status", pid);
            assertEquals(0, status.exitCode, status::describe);
            // Read over the attach channel: no management agent started, no port left open.
            assertEquals(Set.of(), ListeningSockets.of(watched.pid()), () -> "the target listens on nothing after status\n"
                    + status.describe());
            List<String> lines = status.stdout.lines().toList();
            assertTrue(lines.get(0).startsWith("JVM Watchdog in process " + pid + ": timeout=2s,action=log,"), status::describe);
            assertTrue(lines.get(1).matches("THREAD +STATE +FOR +ENTRY +STUCK"), status::describe);
            assertTrue(lines.stream().anyMatch(l -> l.matches("\"pool-\\d+-thread-\\d+\" #\\d+ +RUNNABLE \\(running\\) +"
                    + "[0-9.]+m?s +java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker +yes \\(no-progress\\)")),
                    status::describe);
            assertTrue(lines.get(lines.size() - 1).matches("passes \\d+, stuck detected 1, recovered 0, startup timeouts 0,"
                    + " watchdog stuck 0, dropped report bytes 0, agent pauses \\d+ ms \\(\\d+ ms in the last minute\\),"
                    + " last pass \\d+ us, [0-9.]+m?s ago"), status::describe);

            JvmProcess.Result list = WatchdogCli.run(Deadlines.CLI, "list");
            assertEquals(0, list.exitCode, list::describe);
            assertTrue(list.stdout.lines().anyMatch(l -> l.matches(pid + " +yes \\(timeout=2s\\) +io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp")),
                    list::describe);
            assertTrue(list.stdout.lines().anyMatch(l -> l.matches(bare.pid() + " +no +io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp.*")),
                    list::describe);

            JvmProcess.Result none = WatchdogCli.run(Deadlines.CLI, "status", Long.toString(bare.pid()));
            assertEquals(1, none.exitCode, none::describe);
            assertEquals(List.of("watchdog: the agent is not loaded in process " + bare.pid() + " (load it with: java -jar"
                    + " watchdog.jar attach " + bare.pid() + ")"), Lines.meaningful(none.stderr), none::describe);
        }
    }

    /** The check above can fail: it sees a socket this very JVM listens on. */
    @Test
    void theListeningSocketsCheckSeesAListener() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
            assertEquals(1, ListeningSockets.of(ProcessHandle.current().pid()).stream()
                    .filter(a -> a.endsWith(String.format(":%04X", server.getLocalPort()))).count());
        }
    }

    @Test
    void badArgumentsGiveOneLineAndTheUsage() {
        JvmProcess.Result r = WatchdogCli.run(Deadlines.CLI, "status", "abc");
        assertEquals(2, r.exitCode, r::describe);
        assertEquals(List.of("watchdog: invalid process id 'abc' (expected a number)",
                "Usage: java -jar watchdog.jar attach <pid> [key=value,...] | status <pid> | list | demo | --help"),
                Lines.meaningful(r.stderr), r::describe);
    }
}
