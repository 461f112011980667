package io.jvmwatchdog.core.jmx;

import java.util.List;

/**
 * The watchdog over JMX, under {@link WatchdogJmx#OBJECT_NAME}. Open types only (strings, numbers,
 * and composite data for the offenders), so jconsole, Jolokia, the Prometheus JMX exporter and the
 * OpenTelemetry agent's JMX rules read it without any class of the agent. Each event is also a JMX
 * notification ({@link WatchdogJmx#NOTIFICATION_TYPES}).
 */
public interface WatchdogMXBean {

    /** The configuration in force, in option syntax. */
    String getOptions();

    /** The stuck threshold, as a duration ({@code 3m}); writable: a new timeout applies from the next pass. */
    String getTimeout();

    void setTimeout(String timeout);

    /** {@code log} or {@code panic}; writable. */
    String getAction();

    void setAction(String action);

    /** Threads newly found stuck since start (each offender counts once). */
    long getStuckDetected();

    long getRecovered();

    long getStartupTimeouts();

    /** How often sampling did not finish within the timeout. */
    long getWatchdogStuck();

    /** Report bytes dropped because stderr did not take them in time (a pipe nobody reads). */
    long getDroppedReportBytes();

    long getPasses();

    /** The last pass's cost, sampling included, in microseconds. */
    long getLastPassMicros();

    /**
     * The agent's own stop-the-world time since start, in milliseconds: thread dumps, the stuck
     * threads' stacks, deadlock searches (each call's wall time, an upper bound of its pause).
     */
    long getAgentPauseMillis();

    /** The same within the last minute: the agent keeps it within 1 % of the minute (600 ms). */
    long getAgentPauseMillisLastMinute();

    /** Whole-JVM stalls reported ({@code jvm-stall}), each once. */
    long getJvmStalls();

    /**
     * The share of the last timeout the JVM held every thread stopped (collections, other
     * safepoints), in percent; -1 until a whole timeout has been watched.
     */
    double getJvmStoppedPercent();

    /** How many threads the last pass found stuck (a gauge for dashboards and alerts). */
    int getStuckThreads();

    /** The threads the last pass found stuck. */
    List<OffenderInfo> getOffenders();

    /** Every thread the last pass judged: in a unit, waiting for a lock, or holding one that others wait for. */
    List<WatchedThreadInfo> getWatchedThreads();

    /**
     * The agent's blind spots: threads that used a core steadily for a whole timeout outside any unit
     * it watches, with their top frames and the {@code entry=} that would watch them.
     */
    List<BusyThreadInfo> getUnwatchedBusyThreads();

    /** Writes a report of the stuck threads now, with a full thread dump; returns what it did. */
    String reportNow();
}
