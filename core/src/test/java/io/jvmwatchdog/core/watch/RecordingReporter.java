package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.report.Incident;
import io.jvmwatchdog.core.report.Reporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what the watchdog concluded, in order, as short strings and as the raw objects. */
final class RecordingReporter implements Reporter {
    final List<String> events = new ArrayList<>();
    final List<Incident> incidents = new ArrayList<>();
    final List<Recovery> recoveries = new ArrayList<>();

    @Override
    public void stuck(Incident incident) {
        incidents.add(incident);
        StringBuilder sb = new StringBuilder("stuck");
        incident.offenders().forEach(o -> sb.append(' ').append(o.sample().name()).append(o.isNew() ? "(new)" : ""));
        sb.append(incident.withDump() ? " +dump" : " -dump");
        events.add(sb.toString());
    }

    @Override
    public void recovered(List<Recovery> list) {
        recoveries.addAll(list);
        StringBuilder sb = new StringBuilder("recovered");
        list.forEach(r -> sb.append(' ').append(r.sample().name()));
        events.add(sb.toString());
    }

    @Override
    public void interrupted(List<Offender> offenders, Duration interruptAfter) {
        StringBuilder sb = new StringBuilder("interrupted");
        offenders.forEach(o -> sb.append(' ').append(o.sample().name()));
        events.add(sb.toString());
    }

    @Override
    public void shutdownTimeout(Duration shutdownTimeout) {
        events.add("shutdown-timeout");
    }

    @Override
    public void startupTimeout(Duration startupTimeout, String readySignal, Action action) {
        events.add("startup-timeout " + readySignal + " " + action.optionValue());
    }

    @Override
    public void watchdogStuck(Duration timeout, Action action) {
        events.add("watchdog-stuck");
    }

    @Override
    public void info(String message) {
    }

    @Override
    public void flush(Duration bound) {
        events.add("flush");
    }
}
