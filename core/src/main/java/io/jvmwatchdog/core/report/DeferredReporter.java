package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A reporter made on its first use, on whichever agent thread needs it. Setting up the agent's
 * logging costs a tenth of a second or more, and most installs report nothing while they run:
 * deferring it keeps that off the path to the application's {@code main}.
 */
public final class DeferredReporter implements Reporter {

    private final Supplier<Reporter> factory;
    private volatile Reporter reporter;

    public DeferredReporter(Supplier<Reporter> factory) {
        this.factory = factory;
    }

    private Reporter reporter() {
        Reporter r = reporter;
        if (r == null) {
            synchronized (this) {
                r = reporter;
                if (r == null) {
                    r = factory.get();
                    reporter = r;
                }
            }
        }
        return r;
    }

    @Override
    public void stuck(Incident incident) {
        reporter().stuck(incident);
    }

    @Override
    public void recovered(List<Recovery> recoveries) {
        reporter().recovered(recoveries);
    }

    @Override
    public void interrupted(List<Offender> offenders, Duration interruptAfter) {
        reporter().interrupted(offenders, interruptAfter);
    }

    @Override
    public void shutdownTimeout(Duration shutdownTimeout) {
        reporter().shutdownTimeout(shutdownTimeout);
    }

    @Override
    public void startupTimeout(Duration startupTimeout, String readySignal, Action action) {
        reporter().startupTimeout(startupTimeout, readySignal, action);
    }

    @Override
    public void watchdogStuck(Duration timeout, Action action) {
        reporter().watchdogStuck(timeout, action);
    }

    @Override
    public void info(String message) {
        reporter().info(message);
    }

    @Override
    public void flush(Duration bound) {
        reporter().flush(bound);
    }
}
