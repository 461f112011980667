package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.core.model.PauseTotals;

/** Where the stall check reads the JVM's stop-the-world time ({@link PauseTotals}) and what explains it. */
public interface JvmPauses {

    /** Nothing is known: no pause is ever seen (tests of the loop alone; a JVM without the beans). */
    JvmPauses NONE = new JvmPauses() {
        @Override
        public PauseTotals totals() {
            return PauseTotals.NONE;
        }

        @Override
        public int heapPercentAfterGc() {
            return -1;
        }

        @Override
        public boolean debuggerMaySuspend() {
            return false;
        }
    };

    /** Running totals since the JVM started. */
    PauseTotals totals();

    /** How full the heap was after the last stop-the-world collection, in percent of its maximum; -1 when unknown. */
    int heapPercentAfterGc();

    /**
     * Whether a debugger may suspend every thread of this JVM (a JDWP agent is loaded): its suspension
     * looks exactly like the watchdog's thread being starved, so that part of the check is off.
     */
    boolean debuggerMaySuspend();

    /** This JVM's. */
    static JvmPauses platform() {
        return new PlatformJvmPauses();
    }
}
