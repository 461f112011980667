package io.jvmwatchdog.core.report;

import java.time.Duration;

/**
 * Where the watchdog's conclusions go. Called only from the watchdog's own threads; implementations
 * catch their own failures (a reporter that throws must not stop the loop).
 */
public interface Reporter {

    /** Says one event: the log text, the events file, JMX and JFR, as the implementation does. */
    void report(WatchdogEvent event);

    /** Informational lines: start, stop, configuration. */
    void info(String message);

    /** Pushes everything written so far to its destination, waiting at most {@code bound}. */
    void flush(Duration bound);
}
