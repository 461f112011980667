package io.jvmwatchdog.core.report;

import java.time.Duration;
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
    public void report(WatchdogEvent event) {
        reporter().report(event);
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
