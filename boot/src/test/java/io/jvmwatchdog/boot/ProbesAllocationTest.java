package io.jvmwatchdog.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The probes never allocate after a thread's first call: they run inside every watched method and
 * blocking call of the application. Counted with HotSpot's per-thread allocation counter, which
 * counts bytes, not time, so the test is exact whatever the machine is doing.
 */
class ProbesAllocationTest {

    private static final int PAIRS = 1_000_000;
    private static final Object CHANNEL = new Object();

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void everyProbePair() {
        ThreadState task = Probes.enterTask("a.Task.run");
        Probes.blockEnd(Probes.blockBegin(Blocking.SOCKET_READ, "a.Socket.read"));
        Probes.exitTask(task);
        Probes.exitTask(Probes.enterTask("a.Task.run"));
        Probes.jobBegin("a.Pool.runWorker");
        Probes.jobEnd();
        Probes.enterBudgeted("a.Entry.run");
        Probes.pet();
        Probes.exitBudgeted();
        if (Probes.wantsRequestName()) {
            Probes.enterRequest("a.Server.handle", "GET", "/path");
        } else {
            Probes.enterRequest("a.Server.handle", null, null);
        }
        Probes.exitBudgeted(Probes.enterEventLoop("a.Loop.handle", CHANNEL));
        Probes.exitBudgeted();
    }

    @Test
    void aMillionOfEveryTransitionAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        everyProbePair(); // the thread's first call creates its state: once per thread
        long before = allocatedBytes();
        long baseline = allocatedBytes() - before; // what reading the counter itself costs
        before = allocatedBytes();
        for (int i = 0; i < PAIRS; i++) {
            everyProbePair();
        }
        long allocated = allocatedBytes() - before - baseline;
        // One allocation per round would be at least 16 MB; what remains is the JVM's own one-off cost
        // on this thread (a class resolved, an on-stack replacement), measured here at 152 bytes.
        assertTrue(allocated < 64 * 1024, "the probes allocated " + allocated + " bytes over " + PAIRS + " rounds");
        assertEquals(0, ThreadStates.current().spanDepth, "every probe was balanced");
    }
}
