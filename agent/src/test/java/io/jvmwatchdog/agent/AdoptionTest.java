package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
