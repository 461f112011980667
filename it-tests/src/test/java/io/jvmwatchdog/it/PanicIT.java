package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.PanicApp;
import io.jvmwatchdog.it.apps.ReadinessApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code action=panic}: report, dump, then halt with status 70, whatever the shutdown hooks do. */
class PanicIT {

    private static final Duration PANIC_DEADLINE = Duration.ofSeconds(20);

    @Test
    void panicHaltsTheJvmWith70DespiteANeverReturningShutdownHook(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(PanicApp.class)
                .agent("timeout=2s,action=panic,events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(PANIC_DEADLINE);
            assertEquals(70, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stdout().contains("app: ready"), () -> "the program got going\n" + app.describe());
            assertFalse(app.stdout().contains("app: shutdown hook started"),
                    () -> "halted, so no shutdown hook ran\n" + app.describe());
            String err = app.stderr();
            assertTrue(Pattern.compile("JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action panic\\):\\R"
                    + "\\t\"pool-\\d+-thread-\\d+\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\),"
                    + " entry java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker"
                    + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]").matcher(err).find(),
                    () -> "the report precedes the halt\n" + app.describe());
            assertTrue(err.contains("Full thread dump"), () -> "with the dump\n" + app.describe());
            assertTrue(Pattern.compile("\\[STUCK: running with no progress for [0-9.]+s]").matcher(err).find(),
                    () -> "the dump tags the offender\n" + app.describe());

            // Written and flushed before the halt.
            List<Map<String, Object>> stuck = new EventsFile(events).events("stuck");
            assertEquals(1, stuck.size(), () -> "one stuck event\n" + new EventsFile(events).raw() + app.describe());
            assertEquals("panic", stuck.get(0).get("action"), () -> "event " + stuck);
        }
    }

    /**
     * The report path waits on nothing the application holds: with stdout and stderr a pipe nobody
     * reads, writers blocked on both streams' locks, java.util.logging's console handler held by a
     * blocked thread and a shutdown hook that never returns, panic still ends the JVM within
     * {@code timeout + period + 2 s} of the thread getting stuck, and the report survives in the
     * events file and the dump directory.
     */
    @Test
    void panicEndsTheJvmInTimeWhenStdoutAndStderrAreClogged(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        Path dumps = java.nio.file.Files.createDirectory(tmp.resolve("dumps"));
        Path stuckSince = tmp.resolve("stuck-since");
        long boundMillis = 2000 + 500 + 2000; // timeout + period + 2 s
        try (JvmProcess app = JvmProcess.app(io.jvmwatchdog.it.apps.CloggedOutputApp.class).args(stuckSince.toString())
                // Before main: the program gets stuck at once, and the bound is the panic's, not the install's.
                .agent("timeout=2s,period=500ms,action=panic,events=" + events + ",dump-dir=" + dumps + ",install=before-main")
                .tmpDir(tmp).outputToUnreadPipe().start()) {
            java.util.regex.Matcher end = app.awaitStdout(Pattern.compile("status=(\\d+) at=(\\d+)"), PANIC_DEADLINE);
            assertEquals("70", end.group(1), () -> "halted by the panic\n" + app.describe());
            long startedMillis = Long.parseLong(TestFiles.readOrEmpty(stuckSince).trim());
            long tookMillis = Long.parseLong(end.group(2)) - startedMillis;
            System.out.printf("PanicIT (%s): clogged panic ended %d ms after the task got stuck (bound %d ms)%n",
                    ItEnv.javaHome(), tookMillis, boundMillis);
            assertTrue(tookMillis <= boundMillis,
                    () -> "ended " + tookMillis + " ms after the task got stuck; the bound is " + boundMillis + " ms");

            List<Map<String, Object>> stuck = new EventsFile(events).events("stuck");
            assertEquals(1, stuck.size(), () -> "the stuck event is written\n" + new EventsFile(events).raw());
            assertEquals("panic", stuck.get(0).get("action"), () -> "event " + stuck);
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dumps)) {
                List<String> dump = files.map(f -> TestFiles.readOrEmpty(f)).toList();
                assertEquals(1, dump.size(), () -> "one dump file: " + dump.size());
                assertTrue(dump.get(0).contains("Full thread dump") && dump.get(0).contains("[STUCK: running with no progress"),
                        () -> "the dump file holds the dump, the offender tagged:\n"
                                + dump.get(0).substring(0, Math.min(4000, dump.get(0).length())));
            }
        }
    }

    @Test
    void startupActionPanicHaltsWhenReadinessNeverComes(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(ReadinessApp.class).args("never", "forever")
                .agent("timeout=2s,startup-timeout=2s,startup-action=panic,ready=com.example.itapps.Startup#ready")
                .tmpDir(tmp).start()) {
            int status = app.awaitExit(PANIC_DEADLINE);
            assertEquals(70, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stderr().contains("JVM Watchdog: readiness (com.example.itapps.Startup#ready) was not"
                    + " signalled within 2s (startup-action panic)"), () -> "the report\n" + app.describe());
            assertTrue(app.stderr().contains("Full thread dump"), () -> "with the dump\n" + app.describe());
        }
    }
}
