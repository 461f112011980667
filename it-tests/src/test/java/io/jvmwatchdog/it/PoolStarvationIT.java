package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.StarvationApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread-starvation deadlock: every worker of a fixed pool waits, inside its job, on a future whose
 * task is queued behind it. Each wait alone is healthy; the pool as a whole is stuck.
 */
class PoolStarvationIT {

    @Test
    void aPoolWhoseWorkersAllWaitOnWorkQueuedBehindThemIsReported(@TempDir Path tmp) {
        for (Map<String, Object> t : assertStarved(JvmProcess.app(StarvationApp.class), tmp,
                "java.util.concurrent.ThreadPoolExecutor")) {
            assertTrue(((String) t.get("name")).startsWith("pool-1-thread-"), () -> "event " + t);
            assertTrue(EventsFile.stack(t).stream().anyMatch(f -> f.startsWith("java.util.concurrent.FutureTask.get(")),
                    () -> "each waits in Future.get: " + t);
        }
    }

    @Test
    void aForkJoinPoolWhoseWorkersAllWaitOnTheirOwnForkedTasksIsReported(@TempDir Path tmp) {
        for (Map<String, Object> t : assertStarved(JvmProcess.app(StarvationApp.class).args("--fork-join"), tmp,
                "java.util.concurrent.ForkJoinPool")) {
            assertTrue(((String) t.get("entry")).startsWith("java.util.concurrent.ForkJoinTask.doExec"), () -> "event " + t);
        }
    }

    /**
     * A pool of two, starved: the report's section names the pool, the {@code stuck} event has both
     * workers with reason {@code pool-starvation} and the pool's counts.
     *
     * @return the event's threads, for what a pool's own test adds
     */
    static List<Map<String, Object>> assertStarved(JvmProcess.Builder pool, Path tmp, String poolClass) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = pool.agent("timeout=1s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog detected 2 stuck thread\\(s\\)"), Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("starved pool: " + Pattern.quote(poolClass) + "@[0-9a-f]+: all 2"
                    + " worker\\(s\\) wait inside jobs; 2 task\\(s\\) queued, not started"), Deadlines.DETECT);
            Map<String, Object> stuck = new EventsFile(events).await(e -> "stuck".equals(e.get("event")), Deadlines.DETECT, app);
            List<Map<String, Object>> threads = EventsFile.threads(stuck);
            assertEquals(2, threads.size(), () -> "both workers: " + stuck);
            for (Map<String, Object> t : threads) {
                assertEquals("pool-starvation", t.get("reason"), () -> "event " + stuck);
                @SuppressWarnings("unchecked")
                Map<String, Object> counts = (Map<String, Object>) t.get("pool");
                assertEquals(2L, counts.get("workers"), () -> "event " + stuck);
                assertEquals(2L, counts.get("queued"), () -> "event " + stuck);
            }
            return threads;
        }
    }

    /** Workers waiting inside jobs with nothing queued are not starved: they wait on something else. */
    @Test
    void workersWaitingInsideJobsWithNothingQueuedAreNotReported(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(StarvationApp.class).args("--waiting")
                .agent("timeout=1s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            // Positive control: the watchdog judges both waiting workers, for well past the timeout.
            long deadline = System.nanoTime() + Deadlines.DETECT.toNanos();
            String status = "";
            while (waitingLong(status) < 2 && System.nanoTime() - deadline < 0) {
                status = WatchdogCli.run(Deadlines.CLI, "status", Long.toString(app.pid())).stdout;
            }
            String seen = status;
            assertEquals(2, waitingLong(seen), () -> "both workers judged, 3 s or more in their wait:\n" + seen
                    + "\n" + app.describe());
            assertFalse(app.stderr().contains("stuck thread"), () -> "no report\n" + app.describe());
            assertEquals(0, new EventsFile(events).events().size(), "no event");
        }
    }

    private static final Pattern WAITING_WORKER = Pattern.compile("\"pool-1-thread-\\d+\" #\\d+ +WAITING \\(waiting\\) +"
            + "(\\d+(?:\\.\\d+)?)s +java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker +no");

    /** How many of the pool's workers a status shows waiting, not stuck, for 3 s or more. */
    private static long waitingLong(String status) {
        return WAITING_WORKER.matcher(status).results().filter(m -> Double.parseDouble(m.group(1)) >= 3).count();
    }
}
