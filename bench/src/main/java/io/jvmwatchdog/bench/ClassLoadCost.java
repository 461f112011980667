package io.jvmwatchdog.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What loading a class costs, for the per-class cost an agent adds to every class load of a
 * service (issue 17: "measure what the servlet-hierarchy matcher costs per class load"). Loads every
 * class of the jars given, in one fresh class loader whose parent is the platform loader, with
 * {@code Class.forName(name, false, loader)}: defined, supertypes resolved, not linked nor
 * initialised, so the figure is the loading and whatever a {@code ClassFileTransformer} adds to it.
 * Prints one line: {@code classes N failed F cpu-ns-per-class X wall-ns-per-class Y}.
 *
 * <p>Run by {@code bench/class-load-cost.sh}, with and without an agent, interleaved.
 * Usage: {@code java -cp benchmarks.jar io.jvmwatchdog.bench.ClassLoadCost <jar or dir of jars>...}
 */
public final class ClassLoadCost {

    private ClassLoadCost() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (var files = Files.walk(p)) {
                    files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
                }
            } else {
                jars.add(p);
            }
        }
        List<String> names = classNames(jars);
        List<URL> urls = new ArrayList<>();
        for (Path j : jars) {
            urls.add(j.toUri().toURL());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int failed = 0;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (String name : names) {
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    failed++; // an optional dependency absent: the same in every run
                }
            }
            long wall = System.nanoTime() - wall0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("classes %d failed %d cpu-ns-per-class %d wall-ns-per-class %d%n",
                    names.size(), failed, cpu / names.size(), wall / names.size());
        }
    }

    /** Every class of the jars, in jar order, without module-info, package-info and multi-release copies. */
    private static List<String> classNames(List<Path> jars) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile f = new JarFile(jar.toFile())) {
                for (JarEntry e : Collections.list(f.entries())) {
                    String n = e.getName();
                    if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class")) {
                        names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
        }
        return names;
    }
}
