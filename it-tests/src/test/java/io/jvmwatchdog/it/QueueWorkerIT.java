package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.QueueWorkerApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The general worker-loop rule: a thread of no known pool that takes a job from a BlockingQueue runs
 * it as a unit, judged like an executor task; waiting for work, or waiting inside a job, is healthy.
 */
class QueueWorkerIT {

    @Test
    void aJobTakenFromAQueueThatSpinsIsReported_theIdleAndWaitingWorkersAreNot(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(QueueWorkerApp.class).agent("timeout=1s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 1s, action log\\):\\R"
                    + "\\t\"spin-worker\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\), entry"
                    + " java\\.util\\.concurrent\\.LinkedBlockingQueue\\.take"), Deadlines.DETECT);
            Map<String, Object> stuck = new EventsFile(events).await(e -> "stuck".equals(e.get("event")), Deadlines.DETECT, app);
            List<Map<String, Object>> threads = EventsFile.threads(stuck);
            assertEquals(1, threads.size(), () -> "only the spinning job: " + stuck);
            assertEquals("spin-worker", threads.get(0).get("name"));
            assertEquals("no-progress", threads.get(0).get("reason"));
            assertTrue(EventsFile.stack(threads.get(0)).get(0).startsWith("io.jvmwatchdog.it.apps.QueueWorkerApp.spin("),
                    () -> "event " + stuck);
        }
    }

    /** No false alarm: a worker waiting inside its job, and one waiting for work, for four timeouts. */
    @Test
    void workersWaitingForWorkOrInsideAJobAreHealthy(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(QueueWorkerApp.class).args("--healthy")
                .agent("timeout=1s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            // Four seconds (four timeouts) of a worker waiting inside its job and one waiting for work.
            app.awaitStdout("app: the idle worker spins now", Deadlines.START);
            assertFalse(app.stderr().contains("stuck thread"), () -> "no report while they only wait\n" + app.describe());
            // Positive control: the rule was on all along; the same idle worker, given a spinning job, is reported.
            app.awaitStderr(Pattern.compile("\t\"idle-worker\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\), entry"
                    + " java\\.util\\.concurrent\\.LinkedBlockingQueue\\.take"), Deadlines.DETECT);
            Map<String, Object> stuck = new EventsFile(events).await(e -> "stuck".equals(e.get("event")), Deadlines.DETECT, app);
            assertEquals(List.of("idle-worker"), EventsFile.threads(stuck).stream().map(t -> t.get("name")).toList(),
                    () -> "only the spinning one, never the waiting one: " + stuck);
        }
    }
}
