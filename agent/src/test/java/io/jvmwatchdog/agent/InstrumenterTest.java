package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.InvalidOptionException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.asm.AsmVisitorWrapper;
import org.junit.jupiter.api.Test;

/** Which of Byte Buddy's rows get their advice at install and which when first woven. */
class InstrumenterTest {

    private static final List<UnitsOfWork.Unit> UNITS = units();

    private static List<UnitsOfWork.Unit> units() {
        try {
            return EarlyInstrumentation.units(ConfigSources.resolve("timeout=1m,entry=com.example.Batch#run").options(), Set.of())
                    .stream().filter(u -> !u.lean()).toList(); // the others are LeanWeaver's
        } catch (InvalidOptionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void jdkRowsAreBuiltAtInstall_everyOtherRowOnlyWhenFirstWoven() {
        List<Instrumenter.Target> targets = Instrumenter.targets(UNITS, false);
        int lazy = 0;
        for (int i = 0; i < UNITS.size(); i++) {
            UnitsOfWork.Unit unit = UNITS.get(i);
            AsmVisitorWrapper advice = targets.get(i).advice();
            if (Instrumenter.JdkPackages.contains(unit.typeName())) {
                assertFalse(advice instanceof Instrumenter.LazyAdvice, unit::toString);
            } else {
                assertFalse(assertInstanceOf(Instrumenter.LazyAdvice.class, advice, unit::toString).isBuilt(), unit::toString);
                lazy++;
            }
        }
        // Positive controls: both kinds are in the table.
        assertEquals(UNITS.size(), targets.size());
        assertTrue(lazy >= 8, "library rows: " + lazy);
        assertTrue(UNITS.size() - lazy >= 1, "JDK rows: " + (UNITS.size() - lazy));
    }

    @Test
    void jdkPackages_areThoseOfTheBootLayersModules() {
        assertTrue(Instrumenter.JdkPackages.contains("java.util.concurrent.ThreadPoolExecutor"));
        assertTrue(Instrumenter.JdkPackages.contains("sun.net.httpserver.ServerImpl$Exchange"));
        assertTrue(Instrumenter.JdkPackages.contains("com.sun.net.httpserver.Filter$Chain"));
        assertFalse(Instrumenter.JdkPackages.contains("javax.servlet.Servlet")); // a library, despite its name
        assertFalse(Instrumenter.JdkPackages.contains("org.eclipse.jetty.server.Server"));
        assertFalse(Instrumenter.JdkPackages.contains("io.jvmwatchdog.api.Watchdog"));
        assertFalse(Instrumenter.JdkPackages.contains("Unnamed"));
    }

    @Test
    void lazyAdvice_isBuiltOnce_byItsFirstUse_andAnswersAsTheBuiltAdvice() {
        UnitsOfWork.Unit jetty = UNITS.stream().filter(u -> u.typeName().equals("org.eclipse.jetty.server.Server"))
                .findFirst().orElseThrow();
        AtomicInteger builds = new AtomicInteger();
        Instrumenter.LazyAdvice lazy = new Instrumenter.LazyAdvice(() -> {
            builds.incrementAndGet();
            return jetty.advice(false);
        });
        assertEquals(0, builds.get());
        AsmVisitorWrapper eager = jetty.advice(false);
        assertEquals(eager.mergeReader(0), lazy.mergeReader(0));
        assertEquals(eager.mergeWriter(0), lazy.mergeWriter(0));
        assertTrue(lazy.isBuilt());
        assertEquals(1, builds.get());
    }
}
