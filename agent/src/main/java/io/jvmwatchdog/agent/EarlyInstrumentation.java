package io.jvmwatchdog.agent;

import io.jvmwatchdog.core.config.Options;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What is in place before Byte Buddy: the blocking calls, woven by {@link JdkWeaver}, and Byte
 * Buddy's place among the transformers ({@link LoadGate}). A launch does this before {@code main},
 * so nothing here may run Byte Buddy (its relocated copy of ASM, which {@link JdkWeaver} uses, is
 * ASM alone): the tables are read as data, and their matchers are made by {@link Instrumenter}
 * when Byte Buddy is installed. A few of Byte Buddy's types still load, those the table's
 * signatures name (its advice helpers return {@code Advice}); none of its code runs.
 *
 * @param units the unit rows, for Byte Buddy later and the gate's filter now
 * @param filter which loading classes the unit rows may weave
 * @param woven the names of the classes woven so far, by either weaver (the install check reads it)
 */
record EarlyInstrumentation(List<UnitsOfWork.Unit> units, LoadFilter filter, LoadGate gate, JdkWeaver jdkWeaver,
                            Set<String> woven) {

    /**
     * @param holdLoads whether a load of a class a unit row weaves waits for Byte Buddy (a launch
     *     that installs it beside {@code main}); else such a load goes on unwoven until Byte Buddy
     *     is in place, and is woven then
     * @param say where the instrumentation's one-line messages go
     */
    static EarlyInstrumentation prepare(Instrumentation inst, Options options, Consumer<String> say, boolean holdLoads) {
        Set<String> leftOut = ArchiveDump.inProgress() ? ArchiveDump.JVM_CLASSES : Set.of();
        if (!leftOut.isEmpty()) {
            say.accept("JVM Watchdog: this JVM writes a class-sharing archive; its run leaves " + leftOut
                    + " unwoven (sleeps, and virtual threads' ends and pinned parks, are watched less closely)");
        }
        Set<String> woven = ConcurrentHashMap.newKeySet();
        // The blocking calls first, without Byte Buddy: fixed JDK methods, two calls each.
        JdkWeaver jdkWeaver = JdkWeaver.install(inst, probes(leftOut), !leftOut.contains("java.lang.VirtualThread"),
                say, woven);
        List<UnitsOfWork.Unit> units = units(options, leftOut);
        LoadFilter filter = LoadFilter.of(units);
        LoadGate gate = new LoadGate(filter, holdLoads, say);
        inst.addTransformer(gate, true);
        return new EarlyInstrumentation(units, filter, gate, jdkWeaver, woven);
    }

    /** The units of work, then the units the options name; without the rows on the classes {@code leftOut} names. */
    static List<UnitsOfWork.Unit> units(Options options, Set<String> leftOut) {
        List<UnitsOfWork.Unit> units = new ArrayList<>();
        for (UnitsOfWork.Unit unit : UnitsOfWork.TABLE) {
            if (!leftOut.contains(unit.typeName())) {
                units.add(unit);
            }
        }
        units.addAll(UnitsOfWork.namedByOptions(options));
        return units;
    }

    /** The blocking calls, without the rows on the classes {@code leftOut} names. */
    static List<BlockingProbes.Probe> probes(Set<String> leftOut) {
        List<BlockingProbes.Probe> probes = new ArrayList<>();
        for (BlockingProbes.Probe probe : BlockingProbes.TABLE) {
            if (!leftOut.contains(probe.typeName())) {
                probes.add(probe);
            }
        }
        return probes;
    }

}
