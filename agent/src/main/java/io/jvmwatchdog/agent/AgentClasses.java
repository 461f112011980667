package io.jvmwatchdog.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The agent's own classes, as the jar carries them: the class files of the jars nested in it (the
 * boot runtime's, {@link BootRuntime}; the early classes'), read directly, and the early classes
 * defined in one go before a launch's {@code premain} needs them.
 *
 * <p>Why define them. Before {@code main}, a launch needs some 85 classes of the agent's (the
 * options, the tables, the weaver, the thirty of ASM it uses). Loaded one by one as the code first
 * names them, each goes through the application class loader's path, interpreted at that point of
 * a JVM's life: the platform and boot loaders asked first, the class path searched, the jar entry
 * inflated, the package checked: about 0.3 ms a class, 25-30 ms in all, a third of what the agent
 * added to a hello world's start. The build copies those classes' files, uncompressed, into one
 * nested jar, in the order of {@code agent/src/main/early-classes.txt}, which lists each after its
 * supertypes ({@code EarlyClassesIT} checks the list against what a launch loads, on both JDKs).
 * Here they are cut from it in one pass and defined in that order ({@link #openUnsafe}): about
 * 7 ms for all of them, most of it the JVM parsing them. They are the same class files in the same
 * loader and protection domain as a load would give, linked (so verified) when first used, as a
 * load does it; a class loaded already (a second load of the agent) is left as it is. Anything that
 * goes wrong leaves the classes to load as usual, a little slower: nothing depends on this but the
 * start's speed.
 */
final class AgentClasses {

    /** The nested jar of the classes a launch needs before {@code main}. */
    static final String EARLY = "/io/jvmwatchdog/agent/early/early-classes.jar";
    /** The JDK's own application class loader, whose classes a definition leaves as a load would. */
    private static final String JDK_APPLICATION_LOADER = "jdk.internal.loader.ClassLoaders$AppClassLoader";

    private AgentClasses() {
    }

    /** Defines the early classes (see above); never throws. */
    static void defineEarly(Instrumentation inst) {
        try {
            ClassLoader loader = AgentClasses.class.getClassLoader();
            if (loader == null || !loader.getClass().getName().equals(JDK_APPLICATION_LOADER)) {
                return; // a loader of the application's (java.system.class.loader) keeps books of its own: load as usual
            }
            Map<String, byte[]> classes = readNested(EARLY);
            if (classes == null) {
                return; // not run from the agent jar (the agent's own tests)
            }
            openUnsafe(inst);
            ProtectionDomain domain = AgentClasses.class.getProtectionDomain();
            // In the jar's order, which the build takes from the list: each class after its supertypes
            // (ordering them here, from their headers, took 2-3 ms).
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                try {
                    UnsafeDefiner.define(c.getKey(), c.getValue(), 0, c.getValue().length, loader, domain);
                } catch (LinkageError | RuntimeException alreadyOrNot) {
                    // loaded already, or not definable here: it loads as usual when named
                }
            }
        } catch (Throwable t) {
            // only the start's speed is at stake
        }
    }

    private static volatile boolean unsafeOpen;

    /**
     * Exports {@code jdk.internal.misc} to the module the agent's classes are in, once, for {@link
     * UnsafeDefiner} (that module is the application class loader's unnamed one: the class path's
     * code sees the package too, as it would with {@code --add-exports
     * java.base/jdk.internal.misc=ALL-UNNAMED}; Netty, for one, then uses the JDK's internal {@code
     * Unsafe} where it can, as it does given that flag):
     * the JDK's internal {@code Unsafe.defineClass} defines a class from its bytes in any loader
     * (null: the bootstrap loader) without linking it, so that nothing else loads on the way (the
     * public {@code Lookup.defineClass} links, and linking loaded a third of the early classes the
     * slow way, ahead of their turn). The JDK keeps it public on every version from 17 to 25; {@link
     * Instrumentation#redefineModule} needs no command-line flag and prints nothing.
     */
    static void openUnsafe(Instrumentation inst) throws IOException {
        if (unsafeOpen) {
            return;
        }
        try {
            Module base = Object.class.getModule();
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(AgentClasses.class.getModule())),
                    Map.of(), Set.of(), Map.of());
        } catch (RuntimeException e) {
            throw new IOException("this JVM does not let the agent define classes (" + e + ")", e);
        }
        unsafeOpen = true;
    }

    /**
     * The class files of the jar nested in the agent's at {@code resource}, by binary name, in the
     * order that jar has them; null if the agent has no such entry.
     */
    static Map<String, byte[]> readNested(String resource) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile agentJar = agentJarHolding(resource);
             InputStream in = agentJar != null ? agentJar.getInputStream(agentJar.getEntry(resource.substring(1)))
                     : AgentClasses.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] jar = in.readAllBytes();
            if (!sliceStored(jar, classes)) {
                classes.clear();
                ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(jar));
                for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                    addClass(classes, e.getName(), entries.readAllBytes());
                }
            }
        }
        return classes;
    }

    private static void addClass(Map<String, byte[]> classes, String path, byte[] bytes) {
        if (path.endsWith(".class") && !path.endsWith("module-info.class")) {
            classes.put(path.substring(0, path.length() - ".class".length()).replace('/', '.'), bytes);
        }
    }

    /**
     * Cuts a jar whose entries are all stored (the build writes the nested jars so) into its class
     * files, by its local headers: a plain loop over one array, where a {@code ZipInputStream}
     * (two classes outside the JDK's archive, a stream per entry) took 4 ms before {@code main}.
     *
     * @return false if the jar is not one of stored entries with their sizes in the local headers
     *     (then the caller reads it as a zip stream)
     */
    static boolean sliceStored(byte[] jar, Map<String, byte[]> classes) {
        int at = 0;
        while (at + 30 <= jar.length && u4le(jar, at) == LOCAL_HEADER) {
            int flags = u2le(jar, at + 6);
            int method = u2le(jar, at + 8);
            long size = u4le(jar, at + 18);
            int nameLength = u2le(jar, at + 26);
            int extraLength = u2le(jar, at + 28);
            int data = at + 30 + nameLength + extraLength;
            if ((flags & 0x8) != 0 || method != 0 || size != u4le(jar, at + 22) || data + size > jar.length) {
                return false; // sizes after the data, compressed, or cut short
            }
            String path = new String(jar, at + 30, nameLength, java.nio.charset.StandardCharsets.UTF_8);
            addClass(classes, path, java.util.Arrays.copyOfRange(jar, data, data + (int) size));
            at = data + (int) size;
        }
        return at + 4 <= jar.length && u4le(jar, at) == CENTRAL_HEADER; // every entry read, up to the directory
    }

    private static final long LOCAL_HEADER = 0x04034b50L;
    private static final long CENTRAL_HEADER = 0x02014b50L;

    private static int u2le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u4le(byte[] b, int at) {
        return u2le(b, at) | (long) u2le(b, at + 2) << 16;
    }

    /**
     * The agent's own jar, opened again (the JDK shares the class loader's open file: its index is
     * not read twice), or null where the agent does not run from a jar that holds {@code resource}
     * (its tests run from directories). Read directly, not as a resource: {@code getResourceAsStream}
     * first asks the boot and platform loaders (which opens the JDK's module image for resources)
     * and then goes through a {@code jar:} URL, a dozen JDK classes that are not in the default
     * CDS archive: 3 ms before {@code main}.
     */
    private static JarFile agentJarHolding(String resource) {
        try {
            CodeSource source = AgentClasses.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol()) || !location.getPath().endsWith(".jar")) {
                return null;
            }
            JarFile jar = new JarFile(new File(location.toURI()), false);
            if (jar.getEntry(resource.substring(1)) == null) {
                jar.close();
                return null;
            }
            return jar;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null; // then as a resource
        }
    }

    /**
     * The boot runtime's classes in an order the bootstrap loader can define them: each after the
     * supertypes it has among them (defining a class resolves its supertypes, which that loader
     * could not find otherwise). The early classes need no such pass: the build writes them in
     * the list's order, which is one.
     */
    static List<String> definitionOrder(Map<String, byte[]> classes) {
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String name : classes.keySet()) {
            place(name, classes, placed, order, new HashSet<>());
        }
        return order;
    }

    private static void place(String name, Map<String, byte[]> classes, Set<String> placed, List<String> order,
                              Set<String> visiting) {
        if (placed.contains(name) || !classes.containsKey(name) || !visiting.add(name)) {
            return;
        }
        for (String supertype : ClassHeader.supertypes(classes.get(name))) {
            place(supertype, classes, placed, order, visiting);
        }
        placed.add(name);
        order.add(name);
    }
}
