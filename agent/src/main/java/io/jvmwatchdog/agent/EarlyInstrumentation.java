package io.jvmwatchdog.agent;

import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.jvm.LiveThreads;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The instrumentation: {@link LeanWeaver} registered, with the blocking calls and every unit row,
 * and the classes already loaded woven. A launch does this before {@code main} (unless {@code
 * install=background} or {@code after-start}), so that nothing the application runs is unwoven; it loads no Byte Buddy
 * code (the relocated ASM it carries is all the weaver needs).
 *
 * @param units the unit rows woven (attach adoption reads them)
 * @param leanWeaver the weaver, for a later look at the classes loaded where no transformer ran
 * @param woven the names of the classes woven so far (the install check reads it)
 * @param activeAtMillis when the instrumentation was in place ({@link System#currentTimeMillis()})
 * @param threadsBeforeWeaving the threads that may have run in old code, to adopt their work from
 *     their stacks: null for every thread (attach, {@code install=background}, {@code after-start}: the application ran
 *     before the weaver), else the ids of those alive when it was put in place before {@code main}
 *     (the JVM's own, and any an earlier agent's premain started; never the application's)
 */
record EarlyInstrumentation(List<UnitsOfWork.Unit> units, LeanWeaver leanWeaver, Set<String> woven,
                            long activeAtMillis, long[] threadsBeforeWeaving) {

    /**
     * @param workersMayPredateInstall whether pool workers may already be waiting for work in old
     *     code (an attach, a background or after-start install): see {@link UnitsOfWork.Hook#lateOnly}
     * @param say where the instrumentation's one-line messages go
     */
    static EarlyInstrumentation prepare(Instrumentation inst, Options options, Consumer<String> say,
                                        boolean workersMayPredateInstall) {
        Set<String> leftOut = ArchiveDump.inProgress() ? ArchiveDump.JVM_CLASSES : Set.of();
        if (!leftOut.isEmpty()) {
            say.accept("JVM Watchdog: this JVM writes a class-sharing archive; its run leaves " + leftOut
                    + " unwoven (sleeps, and virtual threads' ends and pinned parks, are watched less closely)");
        }
        Set<String> woven = ConcurrentHashMap.newKeySet();
        List<UnitsOfWork.Unit> units = units(options, leftOut);
        LeanWeaver leanWeaver = LeanWeaver.install(inst, probes(leftOut), !leftOut.contains("java.lang.VirtualThread"),
                units, workersMayPredateInstall, say, woven);
        return new EarlyInstrumentation(units, leanWeaver, woven, System.currentTimeMillis(),
                workersMayPredateInstall ? null : LiveThreads.platformIdsBut(Thread.currentThread()));
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
