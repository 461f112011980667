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
            Path recording = dumpRecording(app, tmp);
            List<RecordedEvent> stuck = RecordingFile.readAllEvents(recording).stream()
                    .filter(e -> e.getEventType().getName().equals("io.jvmwatchdog.StuckThread")).toList();
            assertEquals(1, stuck.size(), () -> "one stuck event: " + stuck);
            RecordedEvent e = stuck.get(0);
            assertTrue(e.getString("threadName").startsWith("pool-"), e::toString);
            assertEquals("no-progress", e.getString("reason"), e::toString);
            assertEquals("log", e.getString("action"), e::toString);
            assertTrue(e.getLong("stuckMillis") >= 1000, e::toString);
            assertEquals("java.util.concurrent.ThreadPoolExecutor.runWorker", e.getString("entry"), e::toString);
            // Every event also as the generic one: its name, headline and the events file's JSON.
            List<RecordedEvent> generic = RecordingFile.readAllEvents(recording).stream()
                    .filter(g -> g.getEventType().getName().equals("io.jvmwatchdog.Event")).toList();
            assertEquals(1, generic.size(), () -> "one generic event: " + generic);
            assertEquals("stuck", generic.get(0).getString("event"), generic.get(0)::toString);
            assertTrue(generic.get(0).getString("json").contains("\"reason\":\"no-progress\""), generic.get(0)::toString);
        }
    }

    /** The running recording of {@code app} (started with {@code -XX:StartFlightRecording}), dumped by jcmd. */
    static Path dumpRecording(JvmProcess app, Path tmp) throws Exception {
        Path recording = tmp.resolve("recording.jfr");
        Process dump = new ProcessBuilder(ItEnv.javaHome().resolve("bin/jcmd").toString(), Long.toString(app.pid()),
                "JFR.dump", "filename=" + recording).redirectErrorStream(true).start();
        String said = new String(dump.getInputStream().readAllBytes());
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS) && dump.exitValue() == 0 && Files.exists(recording),
                () -> "jcmd JFR.dump: " + said);
        return recording;
    }

    /**
     * A halt skips JFR's dump on exit: a panic with a recording running dumps it into dump-dir first
     * (a new owner-only file), and the recording has the stuck thread's event, the hang's last moments.
     */
    @Test
    void aPanicKeepsTheRunningRecording_inDumpDir(@TempDir Path tmp) throws Exception {
        Path dumps = Files.createDirectory(tmp.resolve("dumps"));
        try (JvmProcess app = JvmProcess.app(io.jvmwatchdog.it.apps.PanicApp.class).jvmArg("-XX:StartFlightRecording")
                .agent("timeout=2s,action=panic,dump-dir=" + dumps).tmpDir(tmp).start()) {
            assertEquals(70, app.awaitExit(Deadlines.DETECT.plus(Deadlines.EXIT)), () -> "halted\n" + app.describe());
            java.util.regex.Matcher said = Pattern.compile("JVM Watchdog: JFR recording \"[^\"]*\" \\(id \\d+\\) dumped to (\\S+)"
                    + " before the halt").matcher(app.stderr());
            assertTrue(said.find(), () -> "the log says where\n" + app.describe());
            Path recording = Path.of(said.group(1));
            assertEquals(dumps, recording.getParent(), "in dump-dir");
            assertTrue(recording.getFileName().toString().matches("jvm-watchdog-\\d{8}T\\d{6}\\.\\d{3}Z-" + app.pid()
                    + "-recording-\\d+\\.jfr"), () -> "named like the other files: " + recording);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(recording)));
            List<RecordedEvent> stuck = RecordingFile.readAllEvents(recording).stream()
                    .filter(e -> e.getEventType().getName().equals("io.jvmwatchdog.StuckThread")).toList();
            assertEquals(1, stuck.size(), () -> "the stuck event is in it: " + stuck);
            assertEquals("panic", stuck.get(0).getString("action"));
            try (java.util.stream.Stream<Path> files = Files.list(dumps)) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".part")), "no partial file left");
            }
        }
    }
}
