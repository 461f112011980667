package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.boot.Probes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Puts the boot runtime ({@code io.jvmwatchdog.boot}) on the bootstrap class path, once per JVM.
 *
 * <p>It travels inside the agent jar as a nested jar (not as classes the system loader could define)
 * and is written to a temporary file that is deleted at exit. Side effect documented in the README:
 * HotSpot disables CDS for application classes once the boot class path is appended.
 */
final class BootJar {

    static final String RESOURCE = "/io/jvmwatchdog/agent/boot/watchdog-boot.jar";
    private static final String PROBE_CLASS = "io.jvmwatchdog.boot.Probes";

    private BootJar() {
    }

    static void appendOnce(Instrumentation inst) throws IOException {
        if (isOnBootClassPath()) {
            return; // a second load of the agent (attach after -javaagent, or attach twice)
        }
        append(inst);
        openJdkInternals(inst);
    }

    /**
     * Lets the boot runtime read the private JDK fields it needs and publish the status in the agent
     * properties (see {@link JdkInternals}): the packages are opened or exported to the bootstrap
     * loader's unnamed module only, where nothing but the boot runtime lives, never to the
     * application's class path.
     */
    private static void openJdkInternals(Instrumentation inst) {
        try {
            Set<Module> boot = Set.of(JdkInternals.class.getModule());
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.vm", boot),
                    Map.of("java.util.concurrent.locks", boot, "java.util.concurrent", boot, "java.lang", boot), Set.of(), Map.of());
            JdkInternals.open();
        } catch (RuntimeException e) {
            // the JVM refused: virtual waiters are reported without their lock's holder
        }
    }

    private static void append(Instrumentation inst) throws IOException {
        Path file = Files.createTempFile("jvm-watchdog-boot-", ".jar"); // owner-only, unique name
        try (InputStream in = BootJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + RESOURCE + " (a broken build)");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
            // HotSpot opened the jar when it was appended and keeps it open; loading the classes
            // now means nothing needs the path later, so it can go at once. (deleteOnExit alone
            // would leave one file per JVM that ends with halt or a kill.) Loading them here, before
            // any advice is woven, matters too: otherwise their first use happens inside whatever JDK
            // method runs advice first, such as a jar read in the middle of loading a class, and on
            // Java 17 that made the outer class load fail.
            Probes.warmUp();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean isOnBootClassPath() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
