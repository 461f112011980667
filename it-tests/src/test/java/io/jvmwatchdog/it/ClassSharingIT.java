package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SharingApp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps the JVM's class sharing: a Jetty program's classes come from a dynamic CDS archive
 * (made without the agent) or from a Java 25 AOT cache (trained with it) as they do without the
 * agent, except those the agent weaves, and the JVM prints nothing because of the agent (once, it
 * printed "Sharing is only supported for boot loader classes because bootstrap classpath has been
 * appended", and an AOT training run with the agent crashed).
 */
class ClassSharingIT {

    private static final Duration RUN = Duration.ofSeconds(90);
    private static final Pattern SHARED_JETTY = Pattern.compile("(?m)\\] (org\\.eclipse\\.jetty\\.\\S+) source: shared objects file");
    private static final Pattern LOADED_JETTY = Pattern.compile("(?m)\\] (org\\.eclipse\\.jetty\\.\\S+) source: ");
    private static final Pattern WOVEN = Pattern.compile("(?m)JVM Watchdog: instrumented (\\S+)$");

    @Test
    void aDynamicCdsArchiveMadeWithoutTheAgent_servesTheSameClassesWithIt(@TempDir Path tmp) throws IOException {
        List<Path> classpath = classpath(tmp);
        Path archive = tmp.resolve("app.jsa");
        runClean(app(classpath, tmp, null).jvmArg("-XX:ArchiveClassesAtExit=" + archive), "dump");
        assertTrue(Files.size(archive) > 0, "the archive was written");

        Run without = shared(app(classpath, tmp, null).jvmArg("-XX:SharedArchiveFile=" + archive), tmp, "none");
        Run with = shared(app(classpath, tmp, "timeout=1m").jvmArg("-XX:SharedArchiveFile=" + archive), tmp, "agent");
        assertAlike(without, with);
    }

    @Test
    void aJava25AotCacheTrainedWithTheAgent_isWritten_andServesTheSameClasses(@TempDir Path tmp) throws IOException {
        Assumptions.assumeTrue(ItEnv.javaFeature() >= 25, "-XX:AOTCacheOutput is Java 25's");
        List<Path> classpath = classpath(tmp);
        Path none = tmp.resolve("none.aot");
        Path agent = tmp.resolve("agent.aot");
        runClean(app(classpath, tmp, null).jvmArg("-XX:AOTCacheOutput=" + none), "training without the agent");
        runClean(app(classpath, tmp, "timeout=1m").jvmArg("-XX:AOTCacheOutput=" + agent), "training with the agent");
        assertTrue(Files.size(agent) > 0, "the training run with the agent wrote its cache");

        Run without = shared(app(classpath, tmp, null).jvmArg("-XX:AOTCache=" + none), tmp, "none");
        Run with = shared(app(classpath, tmp, "timeout=1m").jvmArg("-XX:AOTCache=" + agent), tmp, "agent");
        assertAlike(without, with);
    }

    /** What a run of the program loaded and shared (Jetty's classes), what the agent wove, and what it printed on stderr. */
    private record Run(Set<String> loaded, Set<String> shared, Set<String> woven, List<String> stderr) {
    }

    /**
     * Jetty's classes come from the archive as they do without the agent, but for those it wove; and
     * the JVM printed nothing it did not print without the agent, but the agent's own log.
     */
    private static void assertAlike(Run without, Run with) {
        assertTrue(without.shared().size() > 100, "positive control: Jetty's classes come from the archive without the agent: "
                + without.shared().size());
        assertTrue(with.stderr().stream().anyMatch(l -> l.contains("JVM Watchdog started")), "positive control: the agent ran");
        // A lambda's class is named by its host and an address that differs from one archive to the
        // next: lambdas are compared by their host, in number.
        // Lost: shared without the agent, and loaded from elsewhere with it. A class the run with the
        // agent never loaded took another path through Jetty (which callback or lambda a request
        // needs depends on timing), not another source.
        Map<String, Integer> sharedWith = counts(with.shared());
        Map<String, Integer> loadedWith = counts(with.loaded());
        Map<String, Integer> lost = counts(without.shared());
        lost.replaceAll((name, m) -> Math.min(m - sharedWith.getOrDefault(name, 0),
                loadedWith.getOrDefault(name, 0) - sharedWith.getOrDefault(name, 0)));
        lost.values().removeIf(n -> n <= 0);
        lost.keySet().removeAll(with.woven());
        // A lambda's class is archived with its host class: a woven host's lambdas are made afresh.
        lost.keySet().removeIf(name -> name.endsWith(LAMBDA) && with.woven().contains(name.substring(0, name.length() - LAMBDA.length())));
        assertEquals(Map.of(), lost, "shared without the agent, not with it, though the agent did not weave them (nor their host)");
        List<String> foreign = with.stderr().stream()
                .filter(l -> !l.isBlank() && !l.contains("[jvm-watchdog]") && !without.stderr().contains(l)).toList();
        assertEquals(List.of(), foreign, "lines on stderr that only the agent's presence explains, and are not its log");
    }

    private static JvmProcess.Builder app(List<Path> classpath, Path tmp, String agentOptions) {
        JvmProcess.Builder b = JvmProcess.app(SharingApp.class).classpathOnly(classpath).tmpDir(tmp);
        return agentOptions == null ? b : b.agent(agentOptions);
    }

    private static Run shared(JvmProcess.Builder app, Path tmp, String name) throws IOException {
        Path log = tmp.resolve(name + "-classes.log");
        JvmProcess.Result r = runClean(app.jvmArg("-Xlog:class+load=info:file=" + log).jvmArg("-Dwatchdog.debug=true"), name);
        String classes = Files.readString(log);
        return new Run(names(LOADED_JETTY, classes), names(SHARED_JETTY, classes), names(WOVEN, r.stderr),
                r.stderr.lines().toList());
    }

    /** Runs the program to its end, which must be a normal one. */
    private static JvmProcess.Result runClean(JvmProcess.Builder app, String what) {
        JvmProcess.Result r = app.run(RUN);
        assertEquals(0, r.exitCode, () -> what + ": the JVM exited with " + r.exitCode + "\n" + r.describe());
        assertTrue(r.stdout.contains("app: done"), () -> what + "\n" + r.describe());
        return r;
    }

    private static final String LAMBDA = "$$Lambda";

    /** How many classes of each name, a lambda's named by its host and {@value #LAMBDA}. */
    private static Map<String, Integer> counts(Set<String> names) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : names) {
            int lambda = name.indexOf(LAMBDA);
            counts.merge(lambda < 0 ? name : name.substring(0, lambda + LAMBDA.length()), 1, Integer::sum);
        }
        return counts;
    }

    private static Set<String> names(Pattern p, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The program's own jar (class sharing needs jars), then Jetty's. */
    private static List<Path> classpath(Path tmp) throws IOException {
        Path jar = tmp.resolve("sharing-app.jar");
        Path classes = ItEnv.testClasses();
        String dir = SharingApp.class.getPackageName().replace('.', '/');
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.list(classes.resolve(dir))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(SharingApp.class.getSimpleName())).toList()) {
                j.putNextEntry(new JarEntry(dir + "/" + f.getFileName()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        List<Path> classpath = new ArrayList<>(List.of(jar));
        classpath.addAll(ItEnv.testLibraries("jetty-server", "jetty-http", "jetty-io", "jetty-util", "slf4j-api"));
        return classpath;
    }
}
