package io.jvmwatchdog.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code core} form layers: no package reaches, directly or through others, back to
 * itself. Read from the compiled classes with the JDK's own {@code jdeps}, so that a reference in
 * any form (an import, a fully qualified name, a constant) counts.
 */
class PackageLayersTest {

    private static final String CORE = "io.jvmwatchdog.core";
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(CORE) + "[\\w.]*)\\s+->\\s+("
            + Pattern.quote(CORE) + "[\\w.]*)\\s", Pattern.MULTILINE);

    @Test
    void corePackagesHaveNoCycle() {
        Map<String, Set<String>> uses = packageGraph(Path.of("target", "classes"));
        // Positive control: the graph was read (the loop uses the rule and the reporter).
        assertTrue(uses.getOrDefault(CORE + ".watch", Set.of()).contains(CORE + ".detect"), uses.toString());
        assertTrue(uses.getOrDefault(CORE + ".watch", Set.of()).contains(CORE + ".report"), uses.toString());
        assertEquals(List.of(), cycles(uses), "package cycles in core");
    }

    @Test
    void theSharedBaseUsesNoOtherPackageOfCore() {
        Map<String, Set<String>> uses = packageGraph(Path.of("target", "classes"));
        assertTrue(uses.containsKey(CORE + ".jvm"), uses.toString());
        assertEquals(Set.of(), uses.getOrDefault(CORE + ".base", Set.of()), "core.base is the bottom layer");
        assertEquals(Set.of(), uses.getOrDefault(CORE + ".model", Set.of()), "core.model depends on nothing");
        assertEquals(Set.of(CORE + ".base", CORE + ".detect", CORE + ".model"), uses.get(CORE + ".jvm"),
                "the JVM readers know only the model, the rule (the sampler's shortcut) and the base");
    }

    static Map<String, Set<String>> packageGraph(Path classes) {
        assertTrue(Files.isDirectory(classes), classes.toAbsolutePath() + " (run after compile)");
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                classes.toString());
        assertEquals(0, rc, out.toString());
        Map<String, Set<String>> uses = new TreeMap<>();
        Matcher m = EDGE.matcher(out.toString());
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return uses;
    }

    /** Every package that reaches itself, with the path it takes back. */
    static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>(List.of(start));
            if (reaches(start, start, uses, path, new TreeSet<>())) {
                found.add(String.join(" -> ", path));
            }
        }
        return found;
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> uses, List<String> path,
                                   Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            path.add(next);
            if (next.equals(target) || (seen.add(next) && reaches(next, target, uses, path, seen))) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    @Test
    void theCycleSearchFindsACycle() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of("a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"), cycles(new TreeMap<>(uses)));
    }
}
