package io.jvmwatchdog.agent;

import io.jvmwatchdog.core.config.Options;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What is in place before Byte Buddy: the blocking calls and the unit rows whose advice is data,
 * woven by {@link LeanWeaver}, and Byte Buddy's place among the transformers ({@link LoadGate}). A launch does this before {@code main},
 * so nothing here may run Byte Buddy (its relocated copy of ASM, which {@link LeanWeaver} uses, is
 * ASM alone): the tables are read as data, and their matchers are made by {@link Instrumenter}
 * when Byte Buddy is installed. A few of Byte Buddy's types still load, those the table's
 * signatures name (its advice helpers return {@code Advice}); none of its code runs.
 *
 * @param units the unit rows Byte Buddy weaves, later, and the gate's filter holds for now
 * @param filter which loading classes Byte Buddy's rows may weave
 * @param woven the names of the classes woven so far, by either weaver (the install check reads it)
 */
record EarlyInstrumentation(List<UnitsOfWork.Unit> units, LoadFilter filter, LoadGate gate, LeanWeaver leanWeaver,
                            Set<String> woven) {

    /**
     * @param holdLoads whether a load of a class a Byte Buddy row weaves waits for Byte Buddy (a
     *     launch that installs it beside {@code main}); else such a load goes on unwoven until Byte
     *     Buddy is in place, and is woven then
     * @param workersMayPredateInstall whether pool workers may already be waiting for work in old
     *     code (an attach, a background install): see {@link UnitsOfWork.Hook#lateOnly}
     * @param say where the instrumentation's one-line messages go
     */
    static EarlyInstrumentation prepare(Instrumentation inst, Options options, Consumer<String> say, boolean holdLoads,
                                        boolean workersMayPredateInstall) {
        Set<String> leftOut = ArchiveDump.inProgress() ? ArchiveDump.JVM_CLASSES : Set.of();
        if (!leftOut.isEmpty()) {
            say.accept("JVM Watchdog: this JVM writes a class-sharing archive; its run leaves " + leftOut
                    + " unwoven (sleeps, and virtual threads' ends and pinned parks, are watched less closely)");
        }
        Set<String> woven = ConcurrentHashMap.newKeySet();
        List<UnitsOfWork.Unit> units = units(options, leftOut);
        // The blocking calls and every unit row whose advice is data first, without Byte Buddy: a
        // few calls each into the boot runtime.
        LeanWeaver leanWeaver = LeanWeaver.install(inst, probes(leftOut), !leftOut.contains("java.lang.VirtualThread"),
                units, workersMayPredateInstall, say, woven);
        // Byte Buddy's rows (requests named from a library's objects) next, behind the gate.
        List<UnitsOfWork.Unit> byteBuddyUnits = units.stream().filter(u -> !u.lean()).toList();
        LoadFilter filter = LoadFilter.of(byteBuddyUnits);
        LoadGate gate = new LoadGate(filter, holdLoads, say);
        inst.addTransformer(gate, true);
        return new EarlyInstrumentation(byteBuddyUnits, filter, gate, leanWeaver, woven);
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
