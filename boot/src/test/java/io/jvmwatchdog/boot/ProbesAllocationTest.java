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
    private static final int SITE_TASK_RUN = site("a.Task.run");
    private static final int SITE_POOL_RUNWORKER = site("a.Pool.runWorker");
    private static final int SITE_ENTRY_RUN = site("a.Entry.run");
    private static final int SITE_SERVER_HANDLE = site("a.Server.handle");
    private static final int SITE_LOOP_HANDLE = site("a.Loop.handle");
    private static final int SITE_SOCKET_READ = Sites.register("a.Socket.read", Blocking.SOCKET_READ);

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void everyProbePair() {
        ThreadState task = Probes.enterTask(SITE_TASK_RUN);
        Probes.blockEnd(Probes.blockBegin(SITE_SOCKET_READ));
        Probes.blockEnd(Probes.lockWaitBegin(SITE_SOCKET_READ, false, false));
        Probes.exitTask(task);
        Probes.exitTask(Probes.enterTask(SITE_TASK_RUN));
        Probes.jobBegin(SITE_POOL_RUNWORKER);
        Probes.jobEnd();
        Probes.enterBudgeted(SITE_ENTRY_RUN);
        Probes.pet();
        Probes.exitBudgeted();
        if (Probes.wantsRequestName()) {
            Probes.enterRequest(SITE_SERVER_HANDLE, "GET", "/path");
        } else {
            Probes.enterRequest(SITE_SERVER_HANDLE, null, null);
        }
        Probes.exitBudgeted(Probes.enterEventLoop(SITE_LOOP_HANDLE, CHANNEL));
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

    private static int site(String name) {
        return Sites.register(name, Blocking.NONE);
    }
}
