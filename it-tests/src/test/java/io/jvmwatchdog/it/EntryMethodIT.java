package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ParkingApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entry=}: a budgeted method, where staying in any one state past the timeout is stuck. */
class EntryMethodIT {

    @Test
    void entryMethodParkedPastTheTimeoutIsReported(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(ParkingApp.class)
                .agent("timeout=2s,entry=com.example.itapps.Parker#work,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            Matcher m = app.awaitStderr(Pattern.compile(
                    "JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                            + "\\t\"parking-worker\" #(\\d+) in one state for (\\d+(?:\\.\\d+)?)s \\(WAITING\\): parked \\(java\\.util\\.concurrent\\.locks\\.LockSupport\\.park\\),"
                            + " entry com\\.example\\.itapps\\.Parker\\.work \\[new]\\R"), Deadlines.DETECT);
            assertTrue(Double.parseDouble(m.group(2)) >= 2.0, () -> "reported before the timeout\n" + app.describe());
            app.awaitStderr(Pattern.compile("\"parking-worker\" #" + m.group(1) + " [^\\n]*\\[STUCK: in one state for [0-9.]+s]"),
                    Deadlines.DETECT);

            Map<String, Object> stuck = new EventsFile(events).await(e -> "stuck".equals(e.get("event")),
                    Deadlines.DETECT, app);
            List<Map<String, Object>> threads = EventsFile.threads(stuck);
            assertEquals(1, threads.size(), () -> "event " + stuck);
            assertEquals("parking-worker", threads.get(0).get("name"), () -> "event " + stuck);
            assertEquals("WAITING", threads.get(0).get("state"), () -> "event " + stuck);
            assertEquals("com.example.itapps.Parker.work", threads.get(0).get("entry"), () -> "event " + stuck);
            List<String> stack = EventsFile.stack(threads.get(0));
            assertTrue(stack.stream().anyMatch(f -> f.startsWith("com.example.itapps.Parker.work(")),
                    () -> "the stack shows the entry method: " + stack);
        }
    }

    /**
     * The same, with the entry method in a class under {@code io.jvmwatchdog.} (the test programs'
     * own package): only the agent's own packages are out of the instrumentation's reach.
     */
    @Test
    void entryInTheWatchdogsOwnNamespace(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(ParkingApp.class).args("--local")
                .agent("timeout=2s,entry=io.jvmwatchdog.it.apps.ParkingApp#work").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("\\t\"parking-worker\" #\\d+ in one state for [0-9.]+s \\(WAITING\\): parked \\([^)]*\\),"
                    + " entry io\\.jvmwatchdog\\.it\\.apps\\.ParkingApp\\.work \\[new]"), Deadlines.DETECT);
        }
    }
}
