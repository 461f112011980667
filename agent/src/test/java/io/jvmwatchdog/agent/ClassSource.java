package io.jvmwatchdog.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Where the tables' rows are looked for: the running JDK, this build's application API, or one line
 * of a library (its jars, as copied to {@code target/unit-libraries/<line>} by the build). Library
 * classes are read from their class files with a {@link TypePool}, as the agent reads them when it
 * matches, never loaded: lines of one library cannot share a class loader, and loading would need
 * their dependencies.
 */
final class ClassSource implements AutoCloseable {

    private final String name;
    private final TypePool pool;
    private final List<String> typeNames;
    private final Set<String> holds;
    private final Set<String> holdsForLaterJdks;
    private final List<AutoCloseable> open;
    private ClassFileLocator locator; // null for the running JDK
    private List<Path> roots = List.of();

    private ClassSource(String name, TypePool pool, List<String> typeNames, Set<String> forLaterJdks,
                        List<AutoCloseable> open) {
        this.name = name;
        this.pool = pool;
        this.typeNames = typeNames;
        this.holds = Set.copyOf(typeNames);
        this.holdsForLaterJdks = Set.copyOf(forLaterJdks);
        this.open = open;
    }

    /**
     * The JDK this test runs on: its classes as the platform class loader sees them, which is the
     * bootstrap loader's ({@code java.base}, as the install self-check sees them) and the platform
     * modules' (the HTTP server, {@code jdk.httpserver}); the classes' declared methods through
     * reflection.
     */
    static ClassSource runningJdk() {
        return new ClassSource("JDK " + Runtime.version().feature(), null, List.of(), Set.of(), List.of());
    }

    /** Class files under {@code roots} (jars or class folders), with the JDK's for their supertypes. */
    static ClassSource of(String name, List<Path> roots) {
        List<ClassFileLocator> locators = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        Set<String> forLaterJdks = new java.util.HashSet<>();
        try {
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    locators.add(new ClassFileLocator.ForFolder(root.toFile()));
                    try (Stream<Path> files = Files.walk(root)) {
                        files.filter(f -> f.toString().endsWith(".class"))
                                .forEach(f -> typeNames.add(typeName(root.relativize(f).toString())));
                    }
                } else {
                    JarFile jar = new JarFile(root.toFile());
                    open.add(jar);
                    // A multi-release jar as the running JDK's class loader reads it: the classes of
                    // its versions up to this JDK's, over the base ones (Reactor's for Java 21+).
                    locators.add(ClassFileLocator.ForJarFile.of(jar, ClassFileVersion.ofThisVm()));
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String entry = releasedEntry(e.getName());
                        if (entry != null && entry.endsWith(".class") && !entry.startsWith("META-INF/")
                                && !typeNames.contains(typeName(entry))) {
                            typeNames.add(typeName(entry));
                        } else if (entry == null && e.getName().endsWith(".class")) {
                            forLaterJdks.add(typeName(e.getName().substring(e.getName().indexOf('/', "META-INF/versions/".length()) + 1)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
        locators.add(ClassFileLocator.ForClassLoader.ofBootLoader());
        // Lazy resolution, as the agent's own pool strategy: a type named by a signature (a servlet
        // request, from a jar not in this line) is known by its name until more is asked of it.
        ClassFileLocator locator = new ClassFileLocator.Compound(locators);
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
                locator, TypePool.Default.ReaderMode.FAST);
        ClassSource source = new ClassSource(name, pool, List.copyOf(typeNames), forLaterJdks, open);
        source.locator = locator;
        source.roots = List.copyOf(roots);
        return source;
    }

    /**
     * Every library line the build copied, one per directory under the system property
     * {@code watchdog.unitLibraries} (set by the pom), sorted by name.
     */
    static List<ClassSource> libraryLines() {
        String dir = System.getProperty("watchdog.unitLibraries");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("watchdog.unitLibraries=" + dir + " is not a directory: run the tests "
                    + "through Maven, whose process-test-resources phase copies the library lines there");
        }
        List<ClassSource> lines = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of(dir))) {
            for (Path line : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> jars = Files.list(line)) {
                    lines.add(of(line.getFileName().toString(), jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir, e);
        }
        return lines;
    }

    /** The class file of one of {@link #typeNames()}, as a class loader would read it. */
    byte[] classFile(String typeName) throws java.io.IOException {
        return locator.locate(typeName).resolve();
    }

    /** The jars or folders the line is made of. */
    List<Path> roots() {
        return roots;
    }

    String name() {
        return name;
    }

    /**
     * A jar entry's name as the running JDK sees it: {@code META-INF/versions/<n>/x/Y.class} is
     * {@code x/Y.class} for a JDK of version n or later, and absent (null) for an older one.
     */
    private static String releasedEntry(String entry) {
        String versions = "META-INF/versions/";
        if (!entry.startsWith(versions)) {
            return entry;
        }
        int slash = entry.indexOf('/', versions.length());
        if (slash < 0) {
            return null;
        }
        try {
            int release = Integer.parseInt(entry.substring(versions.length(), slash));
            return release <= Runtime.version().feature() ? entry.substring(slash + 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether a multi-release jar of this source holds the class only for a later JDK than the
     * running one (its {@code META-INF/versions/<n>} with n above this JDK's version).
     */
    boolean holdsOnlyForLaterJdks(String typeName) {
        return holdsForLaterJdks.contains(typeName) && !holds.contains(typeName);
    }

    /** Every class this source holds, for the rows matched by supertype; none for the JDK. */
    List<String> typeNames() {
        return typeNames;
    }

    Optional<TypeDescription> describe(String typeName) {
        if (pool == null) {
            try {
                return Optional.of(TypeDescription.ForLoadedType.of(
                        Class.forName(typeName, false, ClassLoader.getPlatformClassLoader())));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        }
        if (!holds.contains(typeName)) {
            return Optional.empty(); // the pool would find the JDK's classes too: not this source's
        }
        TypePool.Resolution resolution = pool.describe(typeName);
        return resolution.isResolved() ? Optional.of(resolution.resolve()) : Optional.empty();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static String typeName(String classFile) {
        return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.').replace('\\', '.');
    }
}
