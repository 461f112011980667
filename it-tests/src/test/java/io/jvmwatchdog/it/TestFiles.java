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

    /**
     * Waits until the file holds {@code literal} (another process writes it) and returns its text;
     * polls every 50 ms until the deadline, then fails with what the file held.
     */
    static String awaitContaining(Path path, String literal, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = readOrEmpty(path);
            if (text.contains(literal)) {
                return text;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no '" + literal + "' in " + path + " within " + timeout.toMillis()
                        + " ms; it holds:\n" + text);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
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
