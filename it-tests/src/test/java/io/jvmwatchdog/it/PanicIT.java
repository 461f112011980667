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
