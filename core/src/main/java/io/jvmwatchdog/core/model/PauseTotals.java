package io.jvmwatchdog.core.model;

import java.util.List;

/**
 * What the JVM says of the time it held every thread stopped, as running totals since it started:
 * read once per pass, compared across a window by the stall check.
 *
 * @param stoppedNanos stop-the-world time: safepoints (reaching them included) where the JVM counts
 *     them, else stop-the-world collections
 * @param safepoints how many safepoints, or -1 where the JVM does not count them
 * @param collectors each stop-the-world collector's collections and milliseconds, in a fixed order
 */
public record PauseTotals(long stoppedNanos, long safepoints, List<JvmStall.Collector> collectors) {

    /** Nothing seen, nothing counted. */
    public static final PauseTotals NONE = new PauseTotals(0, -1, List.of());

    public PauseTotals {
        collectors = List.copyOf(collectors);
    }
}
