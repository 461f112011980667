package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ReadinessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ready=}: startup must complete within {@code startup-timeout}, else a startup-timeout report. */
class ReadinessIT {

    private static final String READY = "ready=com.example.itapps.Startup#ready";

    @Test
    void readinessInTimeGivesNoStartupTimeout(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        // Ready 200 ms into main (the startup timeout counts from the agent's start, before main, so it
        // is 3 s here to leave a loaded machine room); the program then lives on to 5 s after main
        // started, well past the startup timeout, and exits 0 by itself: that exit is what the test
        // waits for.
        try (JvmProcess app = JvmProcess.app(ReadinessApp.class).args("200", "5000")
                .agent("timeout=2s,startup-timeout=3s," + READY + ",events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(0, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stdout().contains("app: ready() called") && app.stdout().contains("app: done"),
                    () -> "the program ran to its end\n" + app.describe());
            String err = app.stderr();
            assertTrue(err.contains("INFO  [jvm-watchdog] JVM Watchdog started: timeout 2s, period 500ms, action log"),
                    () -> "monitoring starts at readiness\n" + app.describe());
            assertFalse(err.contains("readiness"), () -> "no startup-timeout report\n" + app.describe());
            assertFalse(err.contains("WARN"), () -> "nothing to warn about\n" + app.describe());
            assertFalse(err.toLowerCase(java.util.Locale.ROOT).contains("stuck"), () -> "nothing stuck\n" + app.describe());
            assertTrue(Files.exists(events), "the events file is created at start");
            EventsFile file = new EventsFile(events);
            assertEquals(0, file.events().size(), () -> "no events at all, got:\n" + file.raw());
        }
    }

    @Test
    void readinessNeverSignalledIsReportedOnceStartupTimeoutPasses(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(ReadinessApp.class).args("never", "forever")
                .agent("timeout=2s,startup-timeout=2s," + READY + ",events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: will never be ready", Deadlines.START);
            app.awaitStderr("WARN  [jvm-watchdog] JVM Watchdog: readiness (com.example.itapps.Startup#ready) was not"
                    + " signalled within 2s (startup-action log)", Deadlines.DETECT);
            app.awaitStderr("Full thread dump", Deadlines.DETECT);
            Map<String, Object> e = new EventsFile(events).await(x -> "startup-timeout".equals(x.get("event")),
                    Deadlines.DETECT, app);
            assertEquals("log", e.get("action"), () -> "event " + e);
            EventsFile.threads(e); // present, an array
            assertTrue(app.isAlive(), () -> "startup-action log keeps the JVM running\n" + app.describe());
        }
    }
}
