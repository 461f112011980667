package io.jvmwatchdog.core.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * {@code dump-dir}: each incident's full report also goes to a new file there. Thread dumps can hold
 * secrets (names, arguments in frames), so the file is created owner-only (0600), never through a
 * symbolic link, and never over an existing file: a name that is taken is skipped for the next one.
 */
public final class DumpFiles {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_TRIES = 100;

    private final Path dir;
    private final long pid = ProcessHandle.current().pid();

    private DumpFiles(Path dir) {
        this.dir = dir;
    }

    /** Checks, at configuration time, that {@code dir} is an existing, writable directory. */
    public static DumpFiles in(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("not a writable directory");
        }
        return new DumpFiles(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The time as file names carry it: {@code 20261127T031500.123Z}. */
    static String stamp(Instant time) {
        return STAMP.format(time);
    }

    /**
     * Creates a new file named for the time and the process, for a report written in parts: the
     * evidence first, flushed at once, then what may take long (a whole-JVM dump). A JVM halted in
     * between keeps the first part.
     */
    public Report create(Instant time, String kind) throws IOException {
        return create(time, kind, ".txt");
    }

    /** {@link #create(Instant, String)} with another file name ending, such as {@code .jfr}. */
    public Report create(Instant time, String kind, String suffix) throws IOException {
        String base = "jvm-watchdog-" + stamp(time) + "-" + pid + "-" + kind;
        for (int i = 0; i < MAX_TRIES; i++) {
            Path file = dir.resolve(i == 0 ? base + suffix : base + "-" + i + suffix);
            try {
                SeekableByteChannel channel = Files.newByteChannel(file, CREATE_OPTIONS, ownerOnly());
                return new Report(file, channel);
            } catch (FileAlreadyExistsException taken) {
                // never overwrite: try the next name
            }
        }
        throw new IOException("no free file name in " + dir);
    }

    /** An owner-only file being written. Text goes out as UTF-8; {@link #append} flushes. */
    public static final class Report implements Appendable, AutoCloseable {
        private final Path path;
        private final Writer out;

        private Report(Path path, SeekableByteChannel channel) {
            this.path = path;
            this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                    64 * 1024);
        }

        public Path path() {
            return path;
        }

        /** Appends and flushes: what was appended is in the file when this returns. */
        @Override
        public Report append(CharSequence text) throws IOException {
            out.append(text);
            out.flush();
            return this;
        }

        /** Appends without flushing, for a long text written in pieces ({@link #close} flushes). */
        public Appendable unflushed() {
            return out;
        }

        @Override
        public Report append(CharSequence text, int start, int end) throws IOException {
            return append(text.subSequence(start, end));
        }

        @Override
        public Report append(char c) throws IOException {
            return append(String.valueOf(c));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** CREATE_NEW fails on an existing file, and on a symbolic link too (it is never followed). */
    private static final Set<OpenOption> CREATE_OPTIONS =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

    /** Owner-only permissions (0600) for a new file, where the file system has POSIX permissions. */
    static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}
