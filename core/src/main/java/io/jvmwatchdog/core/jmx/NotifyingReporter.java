package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.base.Json;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.Incident;
import io.jvmwatchdog.core.report.Reporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reports as the reporter it wraps does, and sends each event as a JMX notification too. */
public final class NotifyingReporter implements Reporter {

    private final Reporter delegate;
    private final WatchdogMBean bean;

    public NotifyingReporter(Reporter delegate, WatchdogMBean bean) {
        this.delegate = delegate;
        this.bean = bean;
    }

    @Override
    public void stuck(Incident incident) {
        delegate.stuck(incident);
        List<Offender> fresh = incident.offenders().stream().filter(Offender::isNew).toList();
        if (!fresh.isEmpty() || incident.action() == Action.PANIC) {
            List<Offender> said = fresh.isEmpty() ? incident.offenders() : fresh;
            bean.send("io.jvmwatchdog.stuck", said.size() + " thread(s) newly stuck (timeout "
                    + Durations.format(incident.timeout()) + ", action " + incident.action().optionValue() + ")",
                    json("stuck", incident.action().optionValue(), said, null));
        }
    }

    @Override
    public void recovered(List<Recovery> recoveries) {
        delegate.recovered(recoveries);
        StringBuilder threads = new StringBuilder("[");
        for (Recovery r : recoveries) {
            thread(threads, r.sample(), null, r.stuckNanos());
        }
        bean.send("io.jvmwatchdog.recovered", recoveries.size() + " thread(s) recovered",
                "{\"event\":\"recovered\",\"threads\":" + threads.append("]}"));
    }

    @Override
    public void interrupted(List<Offender> offenders, Duration interruptAfter) {
        delegate.interrupted(offenders, interruptAfter);
        bean.send("io.jvmwatchdog.interrupted", offenders.size() + " stuck thread(s) interrupted (interrupt-after "
                + Durations.format(interruptAfter) + ")", json("interrupted", null, offenders, null));
    }

    @Override
    public void shutdownTimeout(Duration shutdownTimeout) {
        bean.send("io.jvmwatchdog.shutdown-timeout", "shutdown has not finished within "
                + Durations.format(shutdownTimeout) + ": halting", "{\"event\":\"shutdown-timeout\"}");
        delegate.shutdownTimeout(shutdownTimeout);
    }

    @Override
    public void startupTimeout(Duration startupTimeout, String readySignal, Action action) {
        delegate.startupTimeout(startupTimeout, readySignal, action);
        bean.send("io.jvmwatchdog.startup-timeout", "readiness (" + readySignal + ") not signalled within "
                + Durations.format(startupTimeout), "{\"event\":\"startup-timeout\"}");
    }

    @Override
    public void watchdogStuck(Duration timeout, Action action) {
        delegate.watchdogStuck(timeout, action);
        bean.send("io.jvmwatchdog.watchdog-stuck", "sampling the threads has not finished within "
                + Durations.format(timeout), "{\"event\":\"watchdog-stuck\"}");
    }

    @Override
    public void info(String message) {
        delegate.info(message);
    }

    @Override
    public void flush(Duration bound) {
        delegate.flush(bound);
    }

    private static String json(String event, String action, List<Offender> offenders, String extra) {
        StringBuilder sb = new StringBuilder("{\"event\":");
        Json.string(sb, event);
        sb.append(",\"action\":");
        Json.string(sb, action);
        sb.append(",\"threads\":[");
        for (Offender o : offenders) {
            thread(sb, o.sample(), o.reason().id(), o.stuckNanos());
        }
        return sb.append("]}").toString();
    }

    private static void thread(StringBuilder sb, ThreadSample s, String reason, long stuckNanos) {
        if (sb.charAt(sb.length() - 1) != '[') {
            sb.append(',');
        }
        sb.append("{\"name\":");
        Json.string(sb, s.name());
        sb.append(",\"id\":").append(s.threadId()).append(",\"virtual\":").append(s.virtual()).append(",\"reason\":");
        Json.string(sb, reason);
        sb.append(",\"stuckMillis\":").append(TimeUnit.NANOSECONDS.toMillis(stuckNanos)).append(",\"entry\":");
        Json.string(sb, s.entry());
        sb.append('}');
    }
}
