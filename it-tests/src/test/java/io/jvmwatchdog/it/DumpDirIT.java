package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump-dir}: each incident's full report also goes to a new owner-only file. */
class DumpDirIT {

    @Test
    void incidentReportIsAlsoWrittenToANewOwnerOnlyFile(@TempDir Path tmp) throws Exception {
        Path dumps = Files.createDirectory(tmp.resolve("dumps"));
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s,dump-dir=" + dumps)
                .tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            Matcher m = app.awaitStderr(Pattern.compile("JVM Watchdog: this report is also in (\\S+)"), Deadlines.DETECT);
            Path file = Path.of(m.group(1));
            assertEquals(dumps, file.getParent(), () -> "written where asked\n" + app.describe());
            assertTrue(file.getFileName().toString().matches("jvm-watchdog-\\d{8}T\\d{6}\\.\\d{3}Z-" + app.pid() + "-stuck\\.txt"),
                    () -> "named for the time, the process and the kind: " + file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            // The report's evidence is in the file before the log names it; the dump follows.
            String text = TestFiles.awaitContaining(file, "Full thread dump", Deadlines.DETECT);
            assertTrue(text.startsWith("JVM Watchdog detected 1 stuck thread(s)") && text.contains("Stuck thread \"")
                    && text.indexOf("Stuck thread \"") < text.indexOf("Full thread dump"),
                    () -> "the whole report, the offender's section before the dump:\n" + text);
            try (Stream<Path> files = Files.list(dumps)) {
                assertEquals(List.of(file), files.toList(), "one incident, one file");
            }
        }
    }
}
