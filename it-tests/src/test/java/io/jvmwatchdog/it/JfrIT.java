package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a JFR recording running, each stuck thread is also a JFR event, next to the JVM's own. */
class JfrIT {

    @Test
    void aStuckThreadIsAJfrEventInTheRunningRecording(@TempDir Path tmp) throws Exception {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).jvmArg("-XX:StartFlightRecording")
                .agent("timeout=1s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog detected 1 stuck thread\\(s\\)"), Deadlines.DETECT);
            Path recording = tmp.resolve("recording.jfr");
            Process dump = new ProcessBuilder(ItEnv.javaHome().resolve("bin/jcmd").toString(), Long.toString(app.pid()),
                    "JFR.dump", "filename=" + recording).redirectErrorStream(true).start();
            String said = new String(dump.getInputStream().readAllBytes());
            assertTrue(dump.waitFor(60, TimeUnit.SECONDS) && dump.exitValue() == 0 && Files.exists(recording),
                    () -> "jcmd JFR.dump: " + said);
            List<RecordedEvent> stuck = RecordingFile.readAllEvents(recording).stream()
                    .filter(e -> e.getEventType().getName().equals("io.jvmwatchdog.StuckThread")).toList();
            assertEquals(1, stuck.size(), () -> "one stuck event: " + stuck);
            RecordedEvent e = stuck.get(0);
            assertTrue(e.getString("threadName").startsWith("pool-"), e::toString);
            assertEquals("no-progress", e.getString("reason"), e::toString);
            assertEquals("log", e.getString("action"), e::toString);
            assertTrue(e.getLong("stuckMillis") >= 1000, e::toString);
            assertEquals("java.util.concurrent.ThreadPoolExecutor.runWorker", e.getString("entry"), e::toString);
        }
    }
}
