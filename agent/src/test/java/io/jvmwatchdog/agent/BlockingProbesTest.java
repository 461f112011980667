package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.boot.Blocking;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/**
 * The blocking-call table against the running JDK, as the install self-check sees it (the pom runs
 * this on the build's JDK and on Java 25): every row's class exists and declares a method the row
 * weaves. Names that moved in a new JDK show here, not as a probe that silently never fires.
 */
class BlockingProbesTest {

    private static final ClassSource JDK = ClassSource.runningJdk();

    @Test
    void everyRow_namesAClassOfThisJdk_thatDeclaresAMethodItWeaves() {
        List<String> missing = new ArrayList<>();
        for (BlockingProbes.Probe probe : BlockingProbes.TABLE) {
            String verdict = verdict(probe);
            if (verdict != null) {
                missing.add(probe.typeName() + " (" + probe.methods() + "): " + verdict);
            }
        }
        assertEquals(List.of(), missing, "rows that weave nothing on " + JDK);
    }

    /** Positive control: the same check reports rows that are wrong in each way a row can be. */
    @Test
    void aWrongRow_isReportedMissing_byTheSameCheck() {
        BlockingProbes.Probe right = new BlockingProbes.Probe(Blocking.FILE_IO, "java.io.FileInputStream",
                BlockingProbes.Methods.named("read"));
        assertEquals(null, verdict(right), "control");

        List<BlockingProbes.Probe> wrong = List.of(
                new BlockingProbes.Probe(Blocking.FILE_IO, "java.io.FileInputStreamm", BlockingProbes.Methods.named("read")),
                new BlockingProbes.Probe(Blocking.FILE_IO, "java.io.FileInputStream", BlockingProbes.Methods.named("readd")),
                new BlockingProbes.Probe(Blocking.SOCKET_READ, "sun.nio.ch.NioSocketImpl",
                        BlockingProbes.Methods.named("read").taking(7)),
                // Native methods cannot be woven: a row of them alone weaves nothing.
                new BlockingProbes.Probe(Blocking.FILE_IO, "java.io.FileInputStream", BlockingProbes.Methods.named("open0")));
        for (BlockingProbes.Probe probe : wrong) {
            assertTrue(verdict(probe) != null, () -> probe.typeName() + " " + probe.methods() + " should be missing");
        }
    }

    /** The install self-check keys its results by kind and class. */
    @Test
    void kindAndClass_nameOneRow() {
        Set<String> keys = new HashSet<>();
        for (BlockingProbes.Probe probe : BlockingProbes.TABLE) {
            assertTrue(keys.add(probe.kind() + " " + probe.typeName()), () -> "twice: " + probe.typeName());
        }
        assertFalse(keys.isEmpty());
    }

    /** Null when the row weaves a method of this JDK; else what is missing. */
    private static String verdict(BlockingProbes.Probe probe) {
        Optional<TypeDescription> type = JDK.describe(probe.typeName());
        if (type.isEmpty()) {
            return "no such class";
        }
        boolean declares = type.get().getDeclaredMethods().stream().anyMatch(m ->
                probe.methods().matches(m.getActualModifiers(), m.getInternalName(), m.getDescriptor()));
        return declares ? null : "no method it weaves";
    }
}
