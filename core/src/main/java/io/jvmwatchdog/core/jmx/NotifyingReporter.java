package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.report.Reporter;
import io.jvmwatchdog.core.report.WatchdogEvent;
import java.time.Clock;
import java.time.Duration;

/**
 * Reports as the reporter it wraps does, and sends each event as a JMX notification too: type
 * {@code io.jvmwatchdog.<event>}, the event's headline as the message, and the events file's JSON
 * object as user data, without stacks (a notification may be kept in a connector's buffer). An
 * event after which the JVM is halted is notified first.
 */
public final class NotifyingReporter implements Reporter {

    private final Reporter delegate;
    private final WatchdogJmx bean;
    private final Clock clock;

    public NotifyingReporter(Reporter delegate, WatchdogJmx bean, Clock clock) {
        this.delegate = delegate;
        this.bean = bean;
        this.clock = clock;
    }

    @Override
    public void report(WatchdogEvent event) {
        if (event.halts()) {
            notify(event);
            delegate.report(event);
        } else {
            delegate.report(event);
            notify(event);
        }
    }

    private void notify(WatchdogEvent event) {
        for (String json : event.json(clock.instant())) {
            bean.send("io.jvmwatchdog." + event.kind(), event.headline(), json.strip());
        }
    }

    @Override
    public void info(String message) {
        delegate.info(message);
    }

    @Override
    public void flush(Duration bound) {
        delegate.flush(bound);
    }
}
