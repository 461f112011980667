package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.boot.Probes;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Defines the boot runtime ({@code io.jvmwatchdog.boot}) in the bootstrap class loader, once per JVM,
 * without appending anything to the bootstrap class path.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: once the boot class path is
 * appended, HotSpot stops sharing application classes from its CDS archive and says so on stderr at
 * every launch ("Sharing is only supported for boot loader classes because bootstrap classpath has
 * been appended"), and a Java 25 AOT cache loses them too. Instead, the classes are read from the
 * nested jar the agent carries and handed one by one to the JDK's internal {@code
 * Unsafe.defineClass} with no loader ({@link AgentClasses#openUnsafe}), which defines them in the
 * bootstrap loader (its unnamed module, as an appended jar would). No file is written.
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
        Map<String, byte[]> classes = AgentClasses.readNested(RESOURCE);
        if (classes == null) {
            throw new IOException("the agent jar lacks " + RESOURCE + " (a broken build)");
        }
        return classes;
    }

    private static void define(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
        AgentClasses.openUnsafe(inst);
        for (String name : AgentClasses.definitionOrder(classes)) {
            byte[] bytes = classes.get(name);
            try {
                UnsafeDefiner.define(name, bytes, 0, bytes.length, null, null);
            } catch (LinkageError e) {
                if (!isDefined(name)) { // defined already: a race with another load
                    throw new IOException("cannot define " + name + " in the bootstrap loader (" + e + ")", e);
                }
            } catch (RuntimeException e) {
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
