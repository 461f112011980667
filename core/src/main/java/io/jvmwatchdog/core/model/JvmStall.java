package io.jvmwatchdog.core.model;

import java.util.List;

/**
 * The whole JVM making no progress, as one pass of the watchdog saw it (a {@code jvm-stall} event):
 * either its threads spent most of the last window stopped by the JVM (collections, other
 * safepoints), or the watchdog's own thread could not run on time, pass after pass, for longer than
 * the window (CPU starvation, cgroup throttling).
 *
 * @param windowNanos the span the figures cover: one timeout, or a little more
 * @param stoppedNanos stop-the-world time in the window (safepoints where the JVM counts them, else
 *     collections)
 * @param pauses stop-the-world pauses in the window (safepoints), or -1 where the JVM does not count them
 * @param collections stop-the-world collections in the window
 * @param collectors the collectors that ran in the window, the most time first
 * @param heapAfterGcPercent how full the heap was after the last collection, or -1 when unknown
 * @param lateNanos for {@link Cause#STARVED}: how late the loop's passes were in all, beyond
 *     what pauses explain; else 0
 * @param maxLateNanos for {@link Cause#STARVED}: the latest single pass; else 0
 * @param latePasses for {@link Cause#STARVED}: how many passes in a row were late; else 0
 * @param lastedNanos how long the stall has lasted when this was seen
 */
public record JvmStall(Cause cause, long windowNanos, long stoppedNanos, long pauses, long collections,
                       List<Collector> collectors, int heapAfterGcPercent, long lateNanos, long maxLateNanos,
                       int latePasses, long lastedNanos) {

    /** Why the JVM is judged stalled. */
    public enum Cause {
        PAUSES("pauses", "stop-the-world pauses"),
        STARVED("starved", "the watchdog's own thread could not run on time");

        private final String id;
        private final String label;

        Cause(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** As the events file has it. */
        public String id() {
            return id;
        }

        public String label() {
            return label;
        }
    }

    /** One collector's share of the window. */
    public record Collector(String name, long collections, long millis) {
    }

    public JvmStall {
        collectors = List.copyOf(collectors);
    }

    /** The share of the window the JVM was stopped, in tenths of a percent. */
    public int stoppedPermille() {
        return windowNanos <= 0 ? 0 : (int) Math.min(1000, stoppedNanos * 1000 / windowNanos);
    }

    /** The collector that took the most time in the window, or null when none ran. */
    public String mainCollector() {
        return collectors.isEmpty() ? null : collectors.get(0).name();
    }

    /** The same stall, as having lasted {@code nanos}. */
    public JvmStall withLasted(long nanos) {
        return new JvmStall(cause, windowNanos, stoppedNanos, pauses, collections, collectors, heapAfterGcPercent,
                lateNanos, maxLateNanos, latePasses, Math.max(0, nanos));
    }

    /** The same stall, with the heap's occupancy after the last collection (read when it is reported). */
    public JvmStall withHeapAfterGc(int percent) {
        return new JvmStall(cause, windowNanos, stoppedNanos, pauses, collections, collectors, percent, lateNanos,
                maxLateNanos, latePasses, lastedNanos);
    }
}
