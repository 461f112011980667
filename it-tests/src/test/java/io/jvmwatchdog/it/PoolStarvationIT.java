package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.StarvationApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread-starvation deadlock: every worker of a fixed pool waits, inside its job, on a future whose
 * task is queued behind it. Each wait alone is healthy; the pool as a whole is stuck.
 */
class PoolStarvationIT {

    /** Reported in the events file, the log, JMX (the offenders) and JFR (a recording running). */
    @Test
    void aPoolWhoseWorkersAllWaitOnWorkQueuedBehindThemIsReported(@TempDir Path tmp) {
        String pool = "java.util.concurrent.ThreadPoolExecutor";
        for (Map<String, Object> t : assertStarved(JvmProcess.app(StarvationApp.class).jvmArg("-XX:StartFlightRecording"),
                tmp, pool, app -> {
                    try (JMXConnector connector = JmxIT.connect(app)) {
                        CompositeData[] offenders = (CompositeData[]) connector.getMBeanServerConnection()
                                .getAttribute(new ObjectName("io.jvmwatchdog:type=Watchdog"), "Offenders");
                        assertEquals(2, offenders.length, app::describe);
                        for (CompositeData o : offenders) {
                            assertEquals("pool-starvation", o.get("reason"), o::toString);
                            assertTrue(((String) o.get("starvedPool")).matches(Pattern.quote(pool) + "@[0-9a-f]+: all 2"
                                    + " worker\\(s\\) wait inside jobs; 2 task\\(s\\) queued, not started"), o::toString);
                        }
                    }
                    List<RecordedEvent> stuck = RecordingFile.readAllEvents(JfrIT.dumpRecording(app, tmp)).stream()
                            .filter(e -> e.getEventType().getName().equals("io.jvmwatchdog.StuckThread")).toList();
                    assertEquals(2, stuck.size(), () -> "one JFR event per worker: " + stuck);
                    for (RecordedEvent e : stuck) {
                        assertEquals("pool-starvation", e.getString("reason"), e::toString);
                        assertTrue(e.getString("starvedPool").startsWith(pool + "@"), e::toString);
                        assertEquals(2, e.getInt("poolWorkers"), e::toString);
                        assertEquals(2, e.getInt("poolQueued"), e::toString);
                    }
                })) {
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
        return assertStarved(pool, tmp, poolClass, app -> { });
    }

    /** What a test checks of the starved program while it still runs. */
    interface WhileStarved {
        void check(JvmProcess app) throws Exception;
    }

    /** {@link #assertStarved(JvmProcess.Builder, Path, String)}, then {@code also} before the program ends. */
    static List<Map<String, Object>> assertStarved(JvmProcess.Builder pool, Path tmp, String poolClass, WhileStarved also) {
        Path events = tmp.resolve("events.jsonl");
        // Before main: the programs starve their pool at once, and a job adopted from its stack has no
        // pool to name (README: a pool starved before the install ended is not reported).
        try (JvmProcess app = pool.agent("timeout=1s,events=" + events + ",install=before-main").tmpDir(tmp).start()) {
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
            try {
                also.check(app);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return threads;
        }
    }

    /**
     * Workers waiting inside jobs with nothing queued are not starved: they wait on something else. A
     * pool with nothing queued cannot be starved, so its parked workers are not even sampled; the
     * positive control is the same pool once a task is queued behind them: starved one timeout later.
     */
    @Test
    void workersWaitingInsideJobsWithNothingQueuedAreNotReported_untilWorkIsQueuedBehindThem(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(StarvationApp.class).args("--waiting")
                .agent("timeout=1s,events=" + events + ",install=before-main").tmpDir(tmp).start()) { // see assertStarved
            app.awaitStdout("app: ready", Deadlines.START);
            app.assertStderrStaysFreeOf(Pattern.compile("(?i)stuck"), QUIET_FOR);
            EventsFile file = new EventsFile(events);
            assertEquals(List.of(), file.events(), () -> "no event, got:\n" + file.raw());
            JvmProcess.Result status = WatchdogCli.run(Deadlines.CLI, "status", Long.toString(app.pid()));
            Matcher passes = Pattern.compile("(?m)^passes (\\d+), stuck detected 0, ").matcher(status.stdout);
            assertTrue(passes.find() && Integer.parseInt(passes.group(1)) >= MIN_PASSES,
                    () -> "the watchdog made at least " + MIN_PASSES + " passes, and found nothing\n" + status.describe());

            app.sendLine("queue");
            app.awaitStdout("app: queued", Deadlines.START);
            app.awaitStderr(Pattern.compile("starved pool: java\\.util\\.concurrent\\.ThreadPoolExecutor@[0-9a-f]+: all 2"
                    + " worker\\(s\\) wait inside jobs; 1 task\\(s\\) queued, not started"), Deadlines.DETECT);
            Map<String, Object> stuck = file.await(e -> "stuck".equals(e.get("event")), Deadlines.DETECT, app);
            for (Map<String, Object> t : EventsFile.threads(stuck)) {
                assertEquals("pool-starvation", t.get("reason"), () -> "event " + stuck);
                long waited = (Long) t.get("stuckMillis");
                // Counted from the first pass that saw work queued, not from the start of the wait
                // (which is longer ago than the quiet time).
                assertTrue(waited >= 1000 && waited < QUIET_FOR.toMillis(),
                        () -> "starved once work has been queued for the timeout: " + stuck);
            }
            assertEquals(2, EventsFile.threads(stuck).size(), () -> "both workers: " + stuck);
        }
    }

    /** 3x the timeout: long enough for a false alarm to be raised. */
    private static final Duration QUIET_FOR = Duration.ofSeconds(3);
    /** Half the passes the quiet time holds at the period of a 1 s timeout (250 ms): a late loop still counts. */
    private static final int MIN_PASSES = (int) (QUIET_FOR.toMillis() / 250 / 2);
}
