package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default rule: an executor task running with no progress past the timeout is reported. */
class StuckTaskIT {

    @Test
    void spinningExecutorTaskIsReportedWithItsDumpAndEvent(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(SpinningApp.class)
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStderr("INFO  [jvm-watchdog] JVM Watchdog started: timeout 2s, period 500ms, action log",
                    Deadlines.START);
            app.awaitStdout("app: ready", Deadlines.START);

            Matcher summary = app.awaitStderr(Pattern.compile(
                    "WARN  \\[jvm-watchdog] JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                            + "\\t\"(pool-\\d+-thread-\\d+)\" #(\\d+) running with no progress for (\\d+(?:\\.\\d+)?)s \\(RUNNABLE\\)"
                            + ", entry java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker"
                            + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]\\R"
                            + "Search for '#(\\d+)' in the thread dump below\\.\\R"), Deadlines.DETECT);
            String name = summary.group(1);
            String id = summary.group(2);
            double seconds = Double.parseDouble(summary.group(3));
            assertEquals(id, summary.group(4), () -> "the search hint names the offender\n" + app.describe());
            assertTrue(seconds >= 2.0, () -> "reported before the timeout (" + seconds + "s)\n" + app.describe());

            // The dump follows, with the offender tagged and its spinning frame.
            app.awaitStderr(Pattern.compile("Full thread dump [^\\n]*taken by JVM Watchdog"), Deadlines.DETECT);
            Matcher tagged = app.awaitStderr(Pattern.compile(
                    "\"" + Pattern.quote(name) + "\" #" + id + " [^\\n]*\\[STUCK: running with no progress for \\d+(?:\\.\\d+)?s]\\R"
                            + "(?:[^\\n]*\\R)*?\\tat io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\("),
                    Deadlines.DETECT);
            assertTrue(tagged.start() > summary.end(), () -> "the dump comes after the summary\n" + app.describe());

            Map<String, Object> stuck = new EventsFile(events).await(e -> "stuck".equals(e.get("event")),
                    Deadlines.DETECT, app);
            assertEquals("log", stuck.get("action"), () -> "event " + stuck);
            Instant.parse((String) stuck.get("time")); // ISO-8601 instant, or it throws
            List<Map<String, Object>> threads = EventsFile.threads(stuck);
            assertEquals(1, threads.size(), () -> "only the newly stuck thread: " + stuck);
            Map<String, Object> t = threads.get(0);
            assertEquals(name, t.get("name"), () -> "event " + stuck);
            assertEquals(Long.parseLong(id), t.get("id"), () -> "event " + stuck);
            assertEquals("RUNNABLE", t.get("state"), () -> "event " + stuck);
            assertEquals(Boolean.FALSE, t.get("virtual"), () -> "event " + stuck);
            assertTrue(((Long) t.get("stuckMillis")) >= 2000, () -> "event " + stuck);
            assertTrue(((String) t.get("entry")).startsWith("java.util.concurrent.ThreadPoolExecutor.runWorker"),
                    () -> "event " + stuck);
            List<String> stack = EventsFile.stack(t);
            assertFalse(stack.isEmpty(), () -> "a stuck event carries the stack: " + stuck);
            assertTrue(stack.get(0).startsWith("io.jvmwatchdog.it.apps.SpinningApp.spinForever("),
                    () -> "the top frame is the spinning method: " + stack);
            assertTrue(stack.stream().anyMatch(f -> f.startsWith("java.util.concurrent.ThreadPoolExecutor.runWorker(")),
                    () -> "the stack reaches the pool worker: " + stack);

            // Only the task: main (sleeping) and the idle second worker are outside any unit.
            String err = app.stderr();
            assertEquals(1, Lines.count(err, "[STUCK:"), () -> "only one thread tagged\n" + app.describe());
            assertFalse(Pattern.compile("(?m)^\\t\"main\" #").matcher(err).find(),
                    () -> "main is never an offender\n" + app.describe());
            assertTrue(Files.exists(events));
        }
    }

    @Test
    void taskThatStopsSpinningIsReportedRecovered(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--stoppable")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            Matcher stuck = app.awaitStderr(Pattern.compile(
                    "JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                            + "\\t\"(pool-\\d+-thread-\\d+)\" #(\\d+) running"), Deadlines.DETECT);
            app.sendLine("stop");
            app.awaitStdout("app: stopped", Deadlines.START);
            Matcher recovered = app.awaitStderr(Pattern.compile(
                    "INFO  \\[jvm-watchdog] JVM Watchdog: \"" + Pattern.quote(stuck.group(1)) + "\" #" + stuck.group(2)
                            + " recovered after being stuck for (\\d+(?:\\.\\d+)?)s,"
                            + " entry java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker"), Deadlines.DETECT);
            assertTrue(Double.parseDouble(recovered.group(1)) >= 2.0, app::describe);

            Map<String, Object> event = new EventsFile(events).await(e -> "recovered".equals(e.get("event")),
                    Deadlines.DETECT, app);
            List<Map<String, Object>> threads = EventsFile.threads(event);
            assertEquals(1, threads.size(), () -> "event " + event);
            assertEquals(stuck.group(1), threads.get(0).get("name"), () -> "event " + event);
            assertEquals(Long.parseLong(stuck.group(2)), threads.get(0).get("id"), () -> "event " + event);
            assertEquals(1, new EventsFile(events).events("stuck").size(), () -> new EventsFile(events).raw());
        }
    }
}
