package io.jvmwatchdog.core.report;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON-lines events file: one object per event, appended and flushed as it happens, so a
 * pipeline tailing the file sees an event even if the JVM is halted right after. The schema is a
 * public contract (README, "Events file").
 */
public final class EventLog implements Closeable {

    private final Path path;
    private final OutputStream out;

    private EventLog(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Opens for append, creating the file owner-only (0600) if it is missing: events name threads,
     * requests and stacks, as dump files do. An existing file keeps the permissions its owner gave it.
     * Fails here, at configuration time, not at the first event.
     */
    public static EventLog open(Path path) throws IOException {
        try {
            Files.createFile(path, DumpFiles.ownerOnly());
        } catch (FileAlreadyExistsException exists) {
            // appended to, as it is
        }
        // FileOutputStream, not Files.newOutputStream: an interruptible channel would be closed for good
        // by an interrupt of the writing thread.
        return new EventLog(path, new FileOutputStream(path.toFile(), true));
    }

    public Path path() {
        return path;
    }

    /** Appends one line ({@link EventJson}), flushed at once. */
    public synchronized void write(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
