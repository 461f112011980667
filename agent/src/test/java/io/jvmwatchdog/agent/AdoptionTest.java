package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.core.config.ConfigSources;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which executor task a stack is running, as attach reads it: the units the woven code would have
 * seen begin, the JDK's executors only, innermost first, and a pool worker waiting for work is in none.
 */
class AdoptionTest {

    private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";

    @Test
    void runningUnit_poolWorkerInsideAJob_isThePoolsRunLoop() {
        assertEquals(TPE + ".runWorker", unitOf(
                "com.example.Job.run", TPE + ".runWorker", TPE + "$Worker.run", "java.lang.Thread.run"));
    }

    @Test
    void runningUnit_onlyAPoolWorkersJob_endsAtItsNextWaitForWork() {
        assertTrue(poolJob("com.example.Job.run", TPE + ".runWorker", TPE + "$Worker.run"));
        assertFalse(poolJob("com.example.Step.compute", "java.util.concurrent.ForkJoinTask.doExec"));
        assertFalse(poolJob("com.example.Job.run", "java.util.concurrent.CompletableFuture$AsyncRun.run"));
        assertFalse(poolJob("com.example.Job.run", "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run"));
    }

    @Test
    void runningUnit_poolWorkerWaitingForWork_isNone() {
        assertNull(unitOf("jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.park",
                "java.util.concurrent.LinkedBlockingQueue.take", TPE + ".getTask", TPE + ".runWorker",
                TPE + "$Worker.run", "java.lang.Thread.run"));
    }

    /** RMI's worker for a connection waits in a socket read for the connection's next call: no job. */
    @Test
    void runningUnit_rmiWorkerServingAConnection_isNone() {
        assertNull(unitOf("sun.nio.ch.NioSocketImpl.read", "java.io.DataInputStream.read",
                "sun.rmi.transport.tcp.TCPTransport.handleMessages", "sun.rmi.transport.tcp.TCPTransport$ConnectionHandler.run0",
                "sun.rmi.transport.tcp.TCPTransport$ConnectionHandler.run", TPE + ".runWorker", TPE + "$Worker.run",
                "java.lang.Thread.run"));
    }

    @Test
    void runningUnit_forkJoinTask_isDoExec() {
        assertEquals("java.util.concurrent.ForkJoinTask.doExec", unitOf("com.example.Step.compute",
                "java.util.concurrent.RecursiveAction.exec", "java.util.concurrent.ForkJoinTask.doExec",
                "java.util.concurrent.ForkJoinPool.runWorker", "java.util.concurrent.ForkJoinWorkerThread.run"));
    }

    @Test
    void runningUnit_completableFutureAsyncOutsideAPool_isItsRun() {
        assertEquals("java.util.concurrent.CompletableFuture$AsyncRun.run",
                unitOf("com.example.Job.run", "java.util.concurrent.CompletableFuture$AsyncRun.run", "java.lang.Thread.run"));
        assertEquals("java.util.concurrent.CompletableFuture$AsyncSupply.run",
                unitOf("com.example.Job.get", "java.util.concurrent.CompletableFuture$AsyncSupply.run", "java.lang.Thread.run"));
    }

    @Test
    void runningUnit_threadPerTaskExecutorTask_isItsRun() {
        assertEquals("java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run", unitOf("com.example.Job.run",
                "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run", "java.lang.VirtualThread.run"));
        assertEquals("java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture.run", unitOf("com.example.Job.call",
                "java.util.concurrent.FutureTask.run", "java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture.run",
                "java.lang.VirtualThread.run"));
    }

    @Test
    void runningUnit_nestedUnits_isTheInnermost() {
        assertEquals("java.util.concurrent.ForkJoinTask.doExec", unitOf("com.example.Step.compute",
                "java.util.concurrent.ForkJoinTask.doExec", "java.util.concurrent.ForkJoinTask.invoke",
                "com.example.Job.run", TPE + ".runWorker", TPE + "$Worker.run", "java.lang.Thread.run"));
    }

    @Test
    void runningUnit_serverPoolsAndOtherThreads_areNotAdopted() {
        String tomcat = "org.apache.tomcat.util.threads.ThreadPoolExecutor";
        assertNull(unitOf("com.example.Servlet.service", tomcat + ".runWorker", tomcat + "$Worker.run", "java.lang.Thread.run"));
        assertNull(unitOf("com.example.Job.run", "org.eclipse.jetty.util.thread.QueuedThreadPool.runJob",
                "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run", "java.lang.Thread.run"));
        assertNull(unitOf("com.example.Main.loop", "com.example.Main.main"));
        assertNull(unitOf());
    }

    private static final String AQS = "java.util.concurrent.locks.AbstractQueuedSynchronizer";
    private static final String PARK = "java.util.concurrent.locks.LockSupport.park";

    /** A background install or attach, with entry=com.example.Batch#run and one servlet class woven. */
    private static Adoption adoption() throws Exception {
        return new Adoption(EarlyInstrumentation.units(ConfigSources.resolve("timeout=1m,entry=com.example.Batch#run").options(),
                Set.of()), BlockingProbes.TABLE, Set.of("com.example.MyServlet"));
    }

    @Test
    void inProgress_aServerRequest_isBudgeted_namedByItsOutermostFrame() throws Exception {
        Adoption.InProgress found = adoption().inProgress(stack("com.example.Controller.get", "com.example.MyServlet.service",
                "org.apache.catalina.core.ApplicationFilterChain.doFilter", "org.apache.catalina.connector.CoyoteAdapter.service",
                "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker", "java.lang.Thread.run"));
        assertEquals("org.apache.catalina.connector.CoyoteAdapter.service", found.unit());
        assertTrue(found.budgeted());
        assertEquals(Sites.NONE, found.blockingSite());
    }

    @Test
    void inProgress_aServletOnly_whenItsClassWasWoven() throws Exception {
        assertEquals("com.example.MyServlet.service", adoption().inProgress(stack("com.example.MyServlet.service",
                "com.example.Container.dispatch")).unit());
        assertNull(adoption().inProgress(stack("com.example.OtherServlet.service", "com.example.Container.dispatch")).unit());
    }

    @Test
    void inProgress_anEntryMethod_andTheSocketReadItIsIn() throws Exception {
        Adoption.InProgress found = adoption().inProgress(stack("sun.nio.ch.Net.poll", "sun.nio.ch.NioSocketImpl.park",
                "sun.nio.ch.NioSocketImpl.read", "java.net.Socket$SocketInputStream.read", "com.example.Batch.run",
                "com.example.Main.main"));
        assertEquals("com.example.Batch.run", found.unit());
        assertTrue(found.budgeted());
        assertEquals("sun.nio.ch.NioSocketImpl.read", Sites.name(found.blockingSite()));
        assertEquals(Blocking.SOCKET_READ, Sites.kind(found.blockingSite()));
    }

    @Test
    void inProgress_aLockWait_butNotAnInterruptibleOrTimedAcquisition() throws Exception {
        Adoption adoption = adoption();
        Adoption.InProgress lock = adoption.inProgress(stack(PARK, AQS + ".acquire", AQS + ".acquire",
                "java.util.concurrent.locks.ReentrantLock$Sync.lock", "java.util.concurrent.locks.ReentrantLock.lock",
                "com.example.Main.main"));
        assertNull(lock.unit());
        assertEquals(Blocking.LOCK, Sites.kind(lock.blockingSite()));
        for (String caller : List.of("acquireInterruptibly", "acquireSharedInterruptibly", "tryAcquireNanos")) {
            Adoption.InProgress found = adoption.inProgress(stack(PARK, AQS + ".acquire", AQS + "." + caller,
                    "java.util.concurrent.CountDownLatch.await", "com.example.Main.main"));
            assertEquals(Blocking.PARK, Sites.kind(found.blockingSite()), caller + ": an interruptible wait, the park inside");
        }
    }

    @Test
    void inProgress_aTaskStillFoundWithoutARequest() throws Exception {
        Adoption.InProgress found = adoption().inProgress(stack("com.example.Job.run", TPE + ".runWorker", TPE + "$Worker.run"));
        assertEquals(TPE + ".runWorker", found.unit());
        assertFalse(found.budgeted());
        assertTrue(found.poolJob());
    }

    private static String unitOf(String... frames) {
        Adoption.Running running = Adoption.runningUnit(stack(frames));
        return running == null ? null : running.unit();
    }

    private static boolean poolJob(String... frames) {
        return Adoption.runningUnit(stack(frames)).poolJob();
    }

    /** @param frames innermost first, each {@code Class.method} */
    private static StackTraceElement[] stack(String... frames) {
        StackTraceElement[] stack = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            int dot = frames[i].lastIndexOf('.');
            stack[i] = new StackTraceElement(frames[i].substring(0, dot), frames[i].substring(dot + 1), null, -1);
        }
        return stack;
    }
}
