package io.jvmwatchdog.core.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.ThreadState;
import io.jvmwatchdog.core.detect.StuckDetector.PoolInspector;
import io.jvmwatchdog.core.detect.StuckDetector.PoolState;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler reads only the threads a verdict can concern, in this very JVM: threads in a unit,
 * threads blocked on a monitor, and the owners their wait-for chains lead to. Idle threads outside
 * any unit are not read at all.
 */
class JvmThreadSamplerTest {

    private static final int TASK = Sites.register("test.Task.run", Blocking.NONE);
    private static final int SOCKET_READ = Sites.register("test.Socket.read", Blocking.SOCKET_READ);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseThreads() {
        release.countDown();
    }

    @Test
    void samplesThreadsInAUnit_andSkipsIdleOnes() throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        Thread inTask = start("in-task", () -> {
            Probes.enterTask(TASK);
            ready.countDown();
            awaitRelease();
        });
        Thread idle = start("idle", () -> {
            ready.countDown();
            awaitRelease();
        });
        ready.await();
        await(() -> inTask.getState() == Thread.State.WAITING && idle.getState() == Thread.State.WAITING);

        List<ThreadSample> samples = new JvmThreadSampler().sample();

        ThreadSample task = find(samples, inTask);
        assertNotNull(task, "a thread inside a task is sampled");
        assertEquals(UnitKind.TASK, task.unit());
        assertEquals("test.Task.run", task.entry());
        assertEquals(null, find(samples, idle), "an idle thread outside any unit is not read");
    }

    @Test
    void aTaskParkedOrSleeping_isNotRead_butABudgetedUnitParkedIs() throws Exception {
        int park = Sites.register("test.LockSupport.park", Blocking.PARK);
        int entry = Sites.register("test.Entry.handle", Blocking.NONE);
        CountDownLatch ready = new CountDownLatch(2);
        Thread parkedTask = start("parked-task", () -> {
            Probes.enterTask(TASK);
            ThreadState parked = Probes.blockBegin(park);
            ready.countDown();
            awaitRelease();
            Probes.blockEnd(parked);
        });
        Thread parkedEntry = start("parked-entry", () -> {
            Probes.enterBudgeted(entry);
            ThreadState parked = Probes.blockBegin(park);
            ready.countDown();
            awaitRelease();
            Probes.blockEnd(parked);
        });
        ready.await();

        List<ThreadSample> samples = new JvmThreadSampler().sample();

        assertEquals(null, find(samples, parkedTask), "the task rule calls a park healthy however long it lasts");
        ThreadSample budgeted = find(samples, parkedEntry);
        assertNotNull(budgeted, "a budgeted unit is judged in any state, a park included");
        assertEquals(WaitKind.PARK, budgeted.waitKind());
    }

    @Test
    void aWorkerParkedInsideAPoolJob_isReadOnlyWhileItsPoolHasWorkQueued() throws Exception {
        int park = Sites.register("test.LockSupport.park", Blocking.PARK);
        Object idlePool = new Object();
        Object cloggedPool = new Object();
        int[] asked = new int[1];
        PoolInspector pools = pool -> {
            asked[0]++;
            return new PoolState(1, pool == cloggedPool ? 3 : 0);
        };
        CountDownLatch ready = new CountDownLatch(3);
        Thread[] workers = new Thread[3];
        Object[] poolOf = {idlePool, cloggedPool, cloggedPool};
        for (int i = 0; i < workers.length; i++) {
            Object pool = poolOf[i];
            workers[i] = start("pool-worker-" + i, () -> {
                Probes.enterPoolTask(TASK, pool);
                ThreadState parked = Probes.blockBegin(park); // awaiting a reply, or a future queued behind it
                ready.countDown();
                awaitRelease();
                Probes.blockEnd(parked);
            });
        }
        ready.await();

        List<ThreadSample> samples = new JvmThreadSampler(ManagementFactory.getThreadMXBean(), pools).sample();

        assertEquals(null, find(samples, workers[0]), "nothing queued: the pool cannot be starved, its worker is healthy");
        for (Thread clogged : List.of(workers[1], workers[2])) {
            ThreadSample worker = find(samples, clogged);
            assertNotNull(worker, "work queued: the pool rule needs its workers' waits");
            assertEquals(cloggedPool, worker.pool());
        }
        assertEquals(2, asked[0], "each pool is asked once per pass, however many of its workers wait");
    }

    @Test
    void samplesAMonitorBlockedThread_andTheOwnerItWaitsFor() throws Exception {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            synchronized (monitor) {
                ThreadState read = Probes.blockBegin(SOCKET_READ); // as if in a socket read
                held.countDown();
                awaitRelease(); // outside any unit, but holding what another thread wants
                Probes.blockEnd(read);
            }
        });
        held.await();
        Thread blocked = start("blocked", () -> {
            synchronized (monitor) {
                monitor.hashCode();
            }
        });
        await(() -> blocked.getState() == Thread.State.BLOCKED && owner.getState() == Thread.State.WAITING);

        List<ThreadSample> samples = new JvmThreadSampler().sample();

        ThreadSample waiter = find(samples, blocked);
        assertNotNull(waiter, "a thread blocked on a monitor is sampled whatever it runs");
        assertEquals(Thread.State.BLOCKED, waiter.jvmState());
        assertEquals(owner.getId(), waiter.lockOwnerId());
        ThreadSample root = find(samples, owner);
        assertNotNull(root, "the owner is sampled so the wait-for chain reaches it");
        assertEquals(UnitKind.NONE, root.unit());
        assertEquals(WaitKind.SOCKET_READ, root.waitKind(), "the registry names the owner's blocking call");
        assertFalse(samples.stream().anyMatch(s -> s.threadId() == Thread.currentThread().getId()
                && s.unit() != UnitKind.NONE), "the test thread is in no unit");
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(body, "sampler-test-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadSample find(List<ThreadSample> samples, Thread thread) {
        return samples.stream().filter(s -> s.threadId() == thread.getId()).findFirst().orElse(null);
    }

    /** Polls a condition with a deadline: thread states settle asynchronously. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 10 s");
            LockSupport.parkNanos(1_000_000);
        }
    }
}
