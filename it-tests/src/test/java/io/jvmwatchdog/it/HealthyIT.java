package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HealthyApp;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting, sleeping, polling and periodic work are healthy: no false alarm in 3x the timeout. */
class HealthyIT {

    @Test
    void healthyJvmRunsThreeTimeoutsWithoutAReport(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        // timeout 2s; the program runs 6 s (3x) and then exits by itself
        try (JvmProcess app = JvmProcess.app(HealthyApp.class).args("6000")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(0, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stdout().contains("app: ready") && app.stdout().contains("app: done"),
                    () -> "the program ran to its end\n" + app.describe());
            String err = app.stderr();
            assertTrue(err.contains("JVM Watchdog started: timeout 2s, period 500ms, action log"),
                    () -> "the watchdog was on\n" + app.describe());
            assertFalse(err.toLowerCase(Locale.ROOT).contains("stuck"), () -> "a false alarm\n" + app.describe());
            assertFalse(err.contains("WARN"), () -> "nothing to warn about\n" + app.describe());
            assertFalse(err.contains("Full thread dump"), () -> "no dump\n" + app.describe());
            EventsFile file = new EventsFile(events);
            assertEquals(0, file.events().size(), () -> "no events, got:\n" + file.raw());
        }
    }
}
