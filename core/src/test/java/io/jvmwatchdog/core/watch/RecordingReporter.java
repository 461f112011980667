package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.report.Incident;
import io.jvmwatchdog.core.report.Reporter;
import io.jvmwatchdog.core.report.WatchdogEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what the watchdog concluded, in order, as short strings and as the raw objects. */
final class RecordingReporter implements Reporter {
    final List<String> events = new ArrayList<>();
    final List<Incident> incidents = new ArrayList<>();
    final List<Recovery> recoveries = new ArrayList<>();

    @Override
    public void report(WatchdogEvent event) {
        StringBuilder sb = new StringBuilder(event.kind());
        if (event instanceof WatchdogEvent.Stuck stuck) {
            Incident incident = stuck.incident();
            incidents.add(incident);
            incident.offenders().forEach(o -> sb.append(' ').append(o.sample().name()).append(o.isNew() ? "(new)" : ""));
            sb.append(incident.withDump() ? " +dump" : " -dump");
        } else if (event instanceof WatchdogEvent.Recovered recovered) {
            recoveries.addAll(recovered.recoveries());
            recovered.recoveries().forEach(r -> sb.append(' ').append(r.sample().name()));
        } else if (event instanceof WatchdogEvent.Interrupted interrupted) {
            interrupted.offenders().forEach(o -> sb.append(' ').append(o.sample().name()));
        } else if (event instanceof WatchdogEvent.Stalled stalled) {
            sb.append(' ').append(stalled.stall().cause().id()).append(stalled.repeat() ? " repeat" : "")
                    .append(stalled.withDump() ? " +dump" : " -dump");
        } else if (event instanceof WatchdogEvent.StallOver over) {
            sb.append(" stall ").append(over.stall().cause().id());
        } else if (event instanceof WatchdogEvent.StartupTimeout startup) {
            sb.append(' ').append(startup.readySignal()).append(' ').append(startup.action().optionValue());
        }
        events.add(sb.toString());
    }

    @Override
    public void info(String message) {
    }

    @Override
    public void flush(Duration bound) {
        events.add("flush");
    }
}
