package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.Offender;
import java.time.Duration;
import java.util.List;

/**
 * One report of stuck threads.
 *
 * @param offenders every thread stuck in this pass; {@link Offender#isNew()} marks the new ones
 * @param timeout the stuck threshold in force
 * @param dump whether a whole-JVM thread dump follows the offenders' own sections, and if not, why
 * @param nanosSinceLastDump when the dump is left out, how long ago the last one was taken (-1: never)
 */
public record Incident(List<Offender> offenders, Action action, Duration timeout, Dump dump, long nanosSinceLastDump) {

    /**
     * The whole-JVM dump of an incident. The offenders' own sections (their stacks included) come first
     * in every report, whatever this says; a dump stops every thread and costs in proportion to all
     * of them, so it is taken at most once a minute and within the agent's pause budget.
     */
    public enum Dump {
        /** Taken, after the offenders' sections: a new offender, a panic, or an operator's request. */
        TAKEN,
        /** Left out: the same offenders, reported again, were reported with a dump before. */
        REPEAT,
        /** Owed: new offenders, but a dump was taken less than a minute ago; one follows when allowed. */
        DEFERRED,
        /** Owed: taking it now would pass the agent's pause budget (1 % of any minute). */
        OVER_BUDGET
    }

    public boolean withDump() {
        return dump == Dump.TAKEN;
    }
}
