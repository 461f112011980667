package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFilesTest {

    static final Instant TIME = Instant.parse("2026-11-26T13:56:04.415Z");
    static final String BASE = "jvm-watchdog-20261126T135604.415Z-" + ProcessHandle.current().pid() + "-stuck";

    /** Writes a report the way a report is written: created, its text appended, closed. */
    private static Path write(Path dir, String text) throws IOException {
        try (DumpFiles.Report report = DumpFiles.in(dir).create(TIME, "stuck")) {
            report.append(text);
            return report.path();
        }
    }

    @Test
    void create_makesANewOwnerOnlyFile(@TempDir Path dir) throws Exception {
        Path file = write(dir, "the report");
        assertEquals(dir.resolve(BASE + ".txt"), file);
        assertEquals("the report", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void create_neverOverwrites_norFollowsALink(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(BASE + ".txt"), "earlier");
        Path target = dir.resolve("elsewhere");
        Files.createSymbolicLink(dir.resolve(BASE + "-1.txt"), target);
        Path file = write(dir, "the report");
        assertEquals(dir.resolve(BASE + "-2.txt"), file);
        assertEquals("earlier", Files.readString(dir.resolve(BASE + ".txt")));
        assertTrue(Files.notExists(target), "nothing was written through the link");
    }

    @Test
    void in_refusesWhatIsNotAWritableDirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThrows(IOException.class, () -> DumpFiles.in(file));
        assertThrows(IOException.class, () -> DumpFiles.in(dir.resolve("missing")));
    }
}
