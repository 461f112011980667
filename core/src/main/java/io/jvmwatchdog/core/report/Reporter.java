package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import java.time.Duration;
import java.util.List;

/**
 * Where the watchdog's conclusions go. Called only from the watchdog's own threads; implementations
 * catch their own failures (a reporter that throws must not stop the loop).
 */
public interface Reporter {

    void stuck(Incident incident);

    void recovered(List<Recovery> recoveries);

    /** Stuck threads were interrupted ({@code interrupt-after}), each once per stuck episode. */
    void interrupted(List<Offender> offenders, Duration interruptAfter);

    /** A graceful shutdown has not finished within {@code shutdown-timeout}: the JVM is halted next. */
    void shutdownTimeout(Duration shutdownTimeout);

    /** Readiness was not signalled within the startup timeout. */
    void startupTimeout(Duration startupTimeout, String readySignal, Action action);

    /** Sampling the threads did not finish within the timeout: the watchdog itself is stuck. */
    void watchdogStuck(Duration timeout, Action action);

    /** Informational lines: start, stop, configuration. */
    void info(String message);

    /** Pushes everything written so far to its destination, waiting at most {@code bound}. */
    void flush(Duration bound);
}
