package io.jvmwatchdog.it;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipInputStream;
import java.util.stream.Stream;

/**
 * Where things are: the agent jar, the JDK the children run on and the classpath of the test programs,
 * as it-tests/pom.xml passes them to failsafe (with fallbacks for a run from an IDE).
 *
 * <p>The agent jar is used through a verified private copy, taken once per test JVM: agent/target is
 * rebuilt whenever anyone runs {@code mvn install}, and a child starting while the jar is half written
 * would fail for reasons that have nothing to do with the agent.
 */
public final class ItEnv {

    private static Path agentJarSnapshot; // guarded by ItEnv.class

    private ItEnv() {
    }

    /** agent/target/watchdog.jar as the build left it, before taking the snapshot. */
    public static Path builtAgentJar() {
        String p = System.getProperty("watchdog.it.jar");
        Path jar = p != null && !p.isBlank()
                ? Path.of(p)
                : Path.of(System.getProperty("user.dir")).resolve("../agent/target/watchdog.jar").normalize();
        return jar.toAbsolutePath();
    }

    /** A verified copy of the shaded agent under test (see the class comment). */
    public static synchronized Path agentJar() {
        if (agentJarSnapshot == null) {
            agentJarSnapshot = snapshot(builtAgentJar());
        }
        return agentJarSnapshot;
    }

    /**
     * Copies the jar to a private directory once it reads back whole (every entry's CRC checked, the
     * agent manifest present). A jar being rewritten is waited for, up to two minutes.
     */
    private static Path snapshot(Path jar) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String problem = "";
        while (true) {
            try {
                if (!Files.isRegularFile(jar)) {
                    throw new IOException("no file");
                }
                byte[] bytes = Files.readAllBytes(jar);
                Path dir = Files.createTempDirectory("watchdog-it-");
                Path copy = dir.resolve("watchdog.jar");
                Files.write(copy, bytes);
                try {
                    verify(bytes, copy);
                } catch (IOException | RuntimeException e) {
                    deleteTree(dir);
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-agent-snapshot"));
                return copy;
            } catch (IOException | RuntimeException e) {
                problem = e.toString();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("agent jar " + jar + " is missing or broken (" + problem
                        + "); run mvn install -DskipTests first");
            }
            try {
                Thread.sleep(1_000); // waiting for another build to finish writing it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Whole: the central directory lists as many entries as the stream holds, each with a good CRC. */
    private static void verify(byte[] bytes, Path copy) throws IOException {
        int listed;
        try (JarFile jar = new JarFile(copy.toFile())) {
            listed = jar.size();
            Attributes main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            if (main == null || main.getValue("Premain-Class") == null || main.getValue("Agent-Class") == null
                    || main.getValue("Main-Class") == null) {
                throw new IOException("no agent manifest");
            }
        }
        int streamed = 0;
        byte[] buf = new byte[65536];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            while (in.getNextEntry() != null) {
                streamed++;
                drain(in, buf); // checks the entry's size and CRC at its end
            }
        }
        if (listed == 0 || streamed != listed) {
            throw new IOException("entries: " + listed + " listed, " + streamed + " readable");
        }
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        while (in.read(buf) >= 0) {
            // just reading
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort, in a shutdown hook
        }
    }

    /**
     * Whether the scale tests run at the full size the issues name (an 8 GB live heap, a minute of
     * churn): {@code mvn verify -Pscale}, or {@code -Dwatchdog.it.scale=full}. By default they run a
     * slice of each, sized so that the whole suite stays within CI's time on two cores.
     */
    public static boolean fullScale() {
        return "full".equals(System.getProperty("watchdog.it.scale"));
    }

    /** The JDK children run on: 17 in the it-java17 execution, 25 in it-java25. */
    public static Path javaHome() {
        String p = System.getProperty("watchdog.it.javaHome");
        return Path.of(p != null && !p.isBlank() ? p : System.getProperty("java.home")).toAbsolutePath();
    }

    /** The feature release of the JDK children run on (17, 25), from its {@code release} file. */
    public static int javaFeature() {
        try {
            for (String line : Files.readAllLines(javaHome().resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    int end = v.indexOf('.');
                    return Integer.parseInt(end < 0 ? v : v.substring(0, end));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the version of " + javaHome() + ": " + e);
        }
        throw new IllegalStateException("no JAVA_VERSION in " + javaHome().resolve("release"));
    }

    public static Path javaExecutable() {
        Path java = javaHome().resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java executable at " + java);
        }
        return java;
    }

    /** it-tests' test-classes directory: holds the programs in {@code io.jvmwatchdog.it.apps}. */
    public static Path testClasses() {
        String p = System.getProperty("watchdog.it.classes");
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        return codeSource(ItEnv.class);
    }

    /**
     * The jars in a directory the build filled under {@code it-tests/target} (see the copy of Netty 4.1
     * in it-tests/pom.xml): another version of a library than the one the tests compile against.
     */
    public static List<Path> jarsIn(String dirUnderTarget) {
        Path dir = testClasses().resolveSibling(dirUnderTarget);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir + "; does it-tests/pom.xml copy them there?");
            }
            return jars;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot list " + dir + "; does it-tests/pom.xml copy jars there?", e);
        }
    }

    /** The watchdog-api jar (or classes directory), for programs that call {@code io.jvmwatchdog.api.Watchdog}. */
    public static Path apiClasspath() {
        return codeSource(io.jvmwatchdog.api.Watchdog.class);
    }

    /**
     * The jars of the test class path whose file names start with one of {@code fileNamePrefixes}
     * (e.g. {@code "jetty-"}), in class-path order: third-party libraries a test program needs, such
     * as the servers in it-tests/pom.xml, taken from the local Maven repository as Maven resolved them.
     * Failsafe runs the tests from a manifest-only jar, so the real class path is in
     * {@code surefire.test.class.path}; {@code java.class.path} serves a run from an IDE. Fails when a
     * prefix matches nothing: a missing dependency should say so, not end in a ClassNotFoundException
     * in a child.
     */
    public static List<Path> testLibraries(String... fileNamePrefixes) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path", "");
        }
        List<Path> found = new ArrayList<>();
        for (String prefix : fileNamePrefixes) {
            int before = found.size();
            for (String entry : cp.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path path = Path.of(entry).toAbsolutePath();
                Path name = path.getFileName();
                if (name != null && name.toString().startsWith(prefix) && name.toString().endsWith(".jar")
                        && !found.contains(path)) {
                    found.add(path);
                }
            }
            if (found.size() == before) {
                throw new IllegalStateException("no jar named " + prefix + "* on the test class path " + cp
                        + "; is it a test dependency in it-tests/pom.xml?");
            }
        }
        return found;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the code source of " + c.getName(), e);
        }
    }
}
