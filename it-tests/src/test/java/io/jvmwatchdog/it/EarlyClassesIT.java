package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HelloApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before {@code main}, a launch defines the agent classes it needs in one go, from a nested jar the
 * build makes of the classes {@code agent/src/main/early-classes.txt} lists ({@code AgentClasses}):
 * loaded one by one, each took about 0.3 ms of the start. This holds the list to what a launch
 * loads, on this JDK: a class it needs and the list lacks would quietly load the slow way.
 */
class EarlyClassesIT {

    /** The classes that define the others: loaded as usual, first. */
    private static final Set<String> DEFINERS = Set.of("io.jvmwatchdog.agent.AgentMain", "io.jvmwatchdog.agent.AgentClasses",
            "io.jvmwatchdog.agent.UnsafeDefiner");

    @Test
    void beforeMain_everyAgentClassButTheDefinersComesFromTheEarlyClassesJar(@TempDir Path tmp) {
        JvmProcess.Result run = JvmProcess.app(HelloApp.class).agent("timeout=3m").jvmArg("-Xlog:class+load")
                .tmpDir(tmp).run(Deadlines.START);
        assertEquals(0, run.exitCode, run.stdout + run.stderr);
        Set<String> loadedFromJar = new TreeSet<>();
        Set<String> defined = new TreeSet<>();
        boolean mainSeen = false;
        for (String line : run.stdout.split("\n")) {
            if (line.contains(" " + HelloApp.class.getName() + " source: ")) {
                mainSeen = true;
                break;
            }
            int at = line.indexOf("[class,load] io.jvmwatchdog.");
            if (at < 0 || line.contains("[class,load] io.jvmwatchdog.boot.")) {
                continue; // not the agent's, or the boot runtime's (defined in the boot loader, not listed)
            }
            String name = line.substring(at + "[class,load] ".length(), line.indexOf(' ', at + "[class,load] ".length()));
            if (line.endsWith("source: __JVM_DefineClass__")) {
                defined.add(name);
            } else if (line.contains("source: file:") && line.endsWith("watchdog.jar")) {
                loadedFromJar.add(name);
            }
        }
        assertTrue(mainSeen, "no class-load line for the main class\n" + run.stdout);
        Set<String> missing = new TreeSet<>(loadedFromJar);
        missing.removeAll(DEFINERS);
        assertEquals(Set.of(), missing, () -> "loaded one by one before main: add each to agent/src/main/early-classes.txt"
                + " (as io/jvmwatchdog/.../Name.class), after its supertypes; one listed already is out of order\n" + run.stdout);
        // Positive controls: the log was read (the definers are in it, loaded as usual), and every
        // listed class was defined from the early jar, none lost on the way.
        assertEquals(DEFINERS, loadedFromJar, () -> "the classes loaded from the agent jar before main\n" + run.stdout);
        assertEquals(listed(), defined, "the agent classes defined from the early jar before main");
    }

    /** The classes agent/src/main/early-classes.txt lists, by binary name. */
    private static Set<String> listed() {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of("..", "agent", "src", "main", "early-classes.txt"))) {
                if (!line.isBlank()) {
                    names.add(line.strip().replace(".class", "").replace('/', '.'));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
