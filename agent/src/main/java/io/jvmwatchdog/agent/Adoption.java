package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.watch.AgentThreads;
import java.util.Map;

/**
 * At runtime attach, finds the threads that are already inside an executor task and records their
 * span, which the instrumentation never saw begin: attaching to a JVM because a task seems stuck must
 * catch that very task.
 *
 * <p>It reads every thread's stack once ({@code Thread.getAllStackTraces()}, a safepoint at attach
 * only) before any advice is woven. A pool worker's adopted job ends at its next wait for work, like
 * any other. A ForkJoin task's adopted span cannot see its end (the frame runs the old code), so it
 * lasts as long as the worker thread; that worker is then judged as in a task while idle, where
 * parking is healthy. Methods named by {@code entry=} are not adopted: a budgeted span that never
 * ended would report an idle thread. They are watched from their next call.
 */
final class Adoption {

    private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";

    private Adoption() {
    }

    /** @return how many threads were adopted */
    static int adoptRunningTasks() {
        int adopted = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread thread = e.getKey();
            if (thread == Thread.currentThread() || AgentThreads.isAgentThread(thread.getId())) {
                continue;
            }
            String unit = runningUnit(e.getValue());
            if (unit != null) {
                ThreadStates.adopt(thread, unit, false, unit.startsWith(TPE));
                adopted++;
            }
        }
        return adopted;
    }

    /** The entry of the executor task the stack is running, or null (no task, or a worker waiting for one). */
    static String runningUnit(StackTraceElement[] stack) {
        boolean waitingForWork = false;
        for (StackTraceElement f : stack) {
            String cls = f.getClassName();
            String method = f.getMethodName();
            if (cls.equals(TPE) && method.equals("getTask")) {
                waitingForWork = true;
            } else if (cls.equals(TPE) && method.equals("runWorker")) {
                return waitingForWork ? null : TPE + ".runWorker";
            } else if (cls.equals(FORK_JOIN_TASK) && method.equals("doExec")) {
                return FORK_JOIN_TASK + ".doExec";
            } else if (cls.startsWith("java.util.concurrent.CompletableFuture$Async") && method.equals("run")) {
                return cls + ".run";
            }
        }
        return null;
    }
}
