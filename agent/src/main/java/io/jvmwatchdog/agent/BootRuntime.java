package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.boot.Probes;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
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
 * Defines the boot runtime ({@code io.jvmwatchdog.boot}) in the bootstrap class loader, once per JVM,
 * without appending anything to the bootstrap class path.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: once the boot class path is
 * appended, HotSpot stops sharing application classes from its CDS archive and says so on stderr at
 * every launch ("Sharing is only supported for boot loader classes because bootstrap classpath has
 * been appended"), and a Java 25 AOT cache loses them too. Instead, the classes are read from the
 * nested jar the agent carries and handed one by one to the JDK's internal {@code
 * Unsafe.defineClass} with no loader, which defines them in the bootstrap loader (its unnamed
 * module, as an appended jar would). The JDK keeps that method public in {@code jdk.internal.misc}
 * on every version from 17 to 25; the package is exported to the agent's own module only, through
 * {@link Instrumentation#redefineModule}, which needs no command-line flag and prints nothing. No
 * file is written.
 *
 * <p>The bootstrap loader cannot find these classes by itself later (they are on no path of its), so
 * every class is defined here, up front, each after its supertypes.
 */
final class BootRuntime {

    static final String RESOURCE = "/io/jvmwatchdog/agent/boot/watchdog-boot.jar";
    private static final String PROBE_CLASS = "io.jvmwatchdog.boot.Probes";

    private BootRuntime() {
    }

    static void defineOnce(Instrumentation inst) throws IOException {
        if (isDefined()) {
            return; // a second load of the agent (attach after -javaagent, or attach twice)
        }
        define(inst, read());
        // Loaded now, before any advice is woven: otherwise their first use happens inside whatever
        // JDK method runs advice first, such as a jar read in the middle of loading a class, and on
        // Java 17 that made the outer class load fail.
        Probes.warmUp();
        openJdkInternals(inst);
    }

    /** The boot runtime's class files, by binary name, in the order the jar has them. */
    static Map<String, byte[]> read() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile agentJar = agentJar();
             InputStream in = agentJar != null ? agentJar.getInputStream(agentJar.getEntry(RESOURCE.substring(1)))
                     : BootRuntime.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + RESOURCE + " (a broken build)");
            }
            ZipInputStream jar = new ZipInputStream(in);
            for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), jar.readAllBytes());
                }
            }
        }
        return classes;
    }

    /**
     * The agent's own jar, opened again (the JDK shares the class loader's open file: its index is
     * not read twice), or null where the agent does not run from a jar that holds the runtime (its
     * tests run from directories). Read directly, not as a resource: {@code getResourceAsStream}
     * first asks the boot and platform loaders (which opens the JDK's module image for resources)
     * and then goes through a {@code jar:} URL, a dozen JDK classes that are not in the default
     * CDS archive: 3 ms before {@code main}.
     */
    private static JarFile agentJar() {
        try {
            CodeSource source = BootRuntime.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol()) || !location.getPath().endsWith(".jar")) {
                return null;
            }
            JarFile jar = new JarFile(new File(location.toURI()), false);
            if (jar.getEntry(RESOURCE.substring(1)) == null) {
                jar.close();
                return null;
            }
            return jar;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null; // then as a resource
        }
    }

    /**
     * The classes in an order the bootstrap loader can define them: each after the supertypes it
     * has among them (defining a class resolves its supertypes, and these can only be found once
     * defined).
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

    private static void define(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
        Method defineClass;
        Object unsafe;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            inst.redefineModule(unsafeClass.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(BootRuntime.class.getModule())),
                    Map.of(), Set.of(), Map.of());
            unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, java.security.ProtectionDomain.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this JVM does not let the agent define its boot runtime (" + e + ")", e);
        }
        for (String name : definitionOrder(classes)) {
            byte[] bytes = classes.get(name);
            try {
                defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof LinkageError) || !isDefined(name)) { // defined already: a race with another load
                    throw new IOException("cannot define " + name + " in the bootstrap loader (" + e.getCause() + ")", e.getCause());
                }
            } catch (IllegalAccessException e) {
                throw new IOException("cannot define " + name + " in the bootstrap loader (" + e + ")", e);
            }
        }
    }

    /**
     * Lets the boot runtime read the private JDK fields it needs and publish the status in the agent
     * properties (see {@link JdkInternals}): the packages are opened or exported to the bootstrap
     * loader's unnamed module only, where nothing but the boot runtime lives, never to the
     * application's class path. {@link JdkInternals#open()} itself comes later, once the
     * instrumentation is in place ({@code Installation}): it loads {@code ThreadPoolExecutor}, which
     * must be woven as it loads.
     */
    private static void openJdkInternals(Instrumentation inst) {
        try {
            Set<Module> boot = Set.of(JdkInternals.class.getModule());
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.vm", boot),
                    Map.of("java.util.concurrent.locks", boot, "java.util.concurrent", boot, "java.lang", boot), Set.of(), Map.of());
        } catch (RuntimeException e) {
            // the JVM refused: virtual waiters are reported without their lock's holder
        }
    }

    private static boolean isDefined() {
        return isDefined(PROBE_CLASS);
    }

    private static boolean isDefined(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
