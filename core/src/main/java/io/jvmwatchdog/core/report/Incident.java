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
 * @param withDump whether to add a full thread dump (always for a new offender or a panic; for the
 *     same offenders at most once a minute)
 * @param nanosSinceLastReport when the dump is skipped, how long ago the same offenders were reported
 */
public record Incident(List<Offender> offenders, Action action, Duration timeout, boolean withDump,
                       long nanosSinceLastReport) {

    public Incident withOffenders(List<Offender> replaced) {
        return new Incident(List.copyOf(replaced), action, timeout, withDump, nanosSinceLastReport);
    }
}
