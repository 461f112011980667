package io.jvmwatchdog.core.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * A whole-JVM thread dump that includes virtual threads, which ThreadMXBean's dump cannot show:
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)}, Java 21+, called reflectively because the
 * agent is built for Java 17. It writes the file itself, and a name that exists makes it fail, so
 * each dump gets a new name.
 *
 * <p>Thread dumps can hold secrets: the file goes to {@code dump-dir} and is made owner-only as soon
 * as it is written; without {@code dump-dir}, to a directory of its own under {@code java.io.tmpdir},
 * created owner-only (0700) before anything is written into it.
 */
public final class VirtualThreadDump {

    private final Path dumpDir;
    private Path tempDir;

    /** @param dumpDir the {@code dump-dir} option, or null */
    public VirtualThreadDump(Path dumpDir) {
        this.dumpDir = dumpDir;
    }

    /** Whether this JVM can take such a dump (Java 21+). */
    public static boolean supported() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Writes the dump; returns its path.
     *
     * @throws IOException with the JVM's reason when the dump could not be written
     */
    public Path write(Instant time, long pid) throws IOException {
        Path dir = dumpDir != null ? dumpDir : privateTempDir(pid);
        Path file = dir.resolve("jvm-watchdog-" + DumpFiles.stamp(time) + "-" + pid + "-threads.json").toAbsolutePath();
        for (int i = 1; Files.exists(file); i++) {
            file = dir.resolve("jvm-watchdog-" + DumpFiles.stamp(time) + "-" + pid + "-threads-" + i + ".json").toAbsolutePath();
        }
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object bean = ManagementFactory.getPlatformMXBean((Class) beanType.asSubclass(PlatformManagedObject.class));
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object json = Enum.valueOf((Class) format, "JSON");
            Method dumpThreads = beanType.getMethod("dumpThreads", String.class, format);
            dumpThreads.invoke(bean, file.toString(), json);
        } catch (InvocationTargetException e) {
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this JVM cannot dump virtual threads: " + e, e);
        }
        ownerOnly(file, "rw-------");
        return file;
    }

    /** A new directory of a random name (never one another user made first), owner-only; one per JVM. */
    private synchronized Path privateTempDir(long pid) throws IOException {
        if (tempDir == null) {
            tempDir = Files.createTempDirectory("jvm-watchdog-" + pid + "-");
            ownerOnly(tempDir, "rwx------");
        }
        return tempDir;
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
