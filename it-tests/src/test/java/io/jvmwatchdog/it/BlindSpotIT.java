package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.BusyLoopApp;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent does not watch, shown: a thread busy outside any unit is listed by status, with the entry= for it. */
class BlindSpotIT {

    private static final Pattern BUSY_ROW = Pattern.compile("(?m)^\"crunch\" #\\d+ +\\d+% +[0-9.]+m?s +"
            + "entry=io\\.jvmwatchdog\\.it\\.apps\\.BusyLoopApp#crunch +io\\.jvmwatchdog\\.it\\.apps\\.BusyLoopApp\\.crunch\\(");

    @Test
    void aThreadBusyOutsideAnyUnitIsShownWithTheEntryThatWouldWatchIt(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(BusyLoopApp.class).agent("timeout=1s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitInstrumentation();
            long deadline = System.nanoTime() + Deadlines.DETECT.toNanos();
            String status = "";
            while (!BUSY_ROW.matcher(status).find() && System.nanoTime() - deadline < 0) {
                JvmProcess.Result r = WatchdogCli.run(Deadlines.CLI, "status", Long.toString(app.pid()));
                assertEquals(0, r.exitCode, r::describe);
                status = r.stdout;
            }
            String seen = status;
            assertTrue(seen.contains("Not watched: busy on a core for a whole timeout or more, outside any unit of work"),
                    () -> seen + "\n" + app.describe());
            assertTrue(BUSY_ROW.matcher(seen).find(), () -> seen + "\n" + app.describe());
            assertFalse(app.stderr().contains("stuck thread"), () -> "a blind spot is shown, never reported\n" + app.describe());
        }
    }
}
