package io.jvmwatchdog.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Files the child JVMs write (events, logs), read from the test. */
final class TestFiles {
    private TestFiles() {
    }

    /** The whole file as text; empty if the child has not created it (yet). */
    static String readOrEmpty(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }
}
