package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ApiApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application API, woven by the agent: ready(), section() and pet(). */
class ApiIT {

    @Test
    void sectionParkedPastTheTimeoutIsStuckWhilePettingWorkIsNot(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        // timeout 2s; the program runs 6 s after readiness, then exits 0 by itself
        try (JvmProcess app = JvmProcess.app(ApiApp.class).withApi().args("6000")
                .agent("timeout=2s,startup-timeout=5s,ready=io.jvmwatchdog.api.Watchdog#ready,events=" + events)
                .tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                    + "\\t\"section-worker\" #\\d+ in one state for [0-9.]+s \\(WAITING\\): parked \\(java\\.util\\.concurrent\\.locks\\.LockSupport\\.park\\),"
                    + " entry nightly-import \\[new]\\R"), Deadlines.DETECT);

            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(0, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stdout().contains("app: done"), () -> "ran to its end\n" + app.describe());
            String err = app.stderr();
            assertEquals(1, Lines.count(err, "JVM Watchdog detected"),
                    () -> "one report: the petting task is never stuck\n" + app.describe());
            assertFalse(Pattern.compile("(?m)^\\t\"pool-").matcher(err).find(),
                    () -> "the petting pool task is no offender\n" + app.describe());
            assertFalse(err.contains("readiness"), () -> "Watchdog.ready() signalled readiness\n" + app.describe());

            EventsFile file = new EventsFile(events);
            List<Map<String, Object>> stuck = file.events("stuck");
            assertEquals(1, stuck.size(), () -> "one stuck event:\n" + file.raw());
            List<Map<String, Object>> threads = EventsFile.threads(stuck.get(0));
            assertEquals(1, threads.size(), file::raw);
            assertEquals("section-worker", threads.get(0).get("name"), file::raw);
            assertEquals("nightly-import", threads.get(0).get("entry"), file::raw);
            assertEquals(0, file.events("startup-timeout").size(), file::raw);
        }
    }
}
