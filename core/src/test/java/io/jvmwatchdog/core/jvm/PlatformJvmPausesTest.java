package io.jvmwatchdog.core.jvm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.PauseTotals;
import org.junit.jupiter.api.Test;

/**
 * This JVM's own pause totals. The test JVM does not export {@code sun.management} to the tests, so
 * the collectors stand in here; the safepoint counters are read in {@code JvmStallIT}, whose stall
 * events count safepoints.
 */
class PlatformJvmPausesTest {

    @Test
    void aFullCollection_addsToTheStoppedTime_andTheHeapAfterItIsKnown() {
        PlatformJvmPauses pauses = new PlatformJvmPauses();
        assertFalse(pauses.countsSafepoints(), "sun.management is not exported to the test");
        PauseTotals before = pauses.totals();
        assertTrue(before.safepoints() < 0, before::toString);
        assertFalse(before.collectors().isEmpty(), "the stop-the-world collectors are read");
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[1 << 20];
        }
        garbage = null;
        System.gc();
        PauseTotals after = pauses.totals();
        long collectionsBefore = before.collectors().stream().mapToLong(JvmStall.Collector::collections).sum();
        long collectionsAfter = after.collectors().stream().mapToLong(JvmStall.Collector::collections).sum();
        assertTrue(collectionsAfter > collectionsBefore, () -> before + " then " + after);
        assertTrue(after.stoppedNanos() >= before.stoppedNanos(), () -> before + " then " + after);
        int heap = pauses.heapPercentAfterGc();
        assertTrue(heap >= 0 && heap <= 100, () -> "heap after the collection: " + heap);
        assertFalse(pauses.debuggerMaySuspend(), "no JDWP agent in the test JVM");
    }
}
