package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around a pool worker's wait for its next job ({@code ThreadPoolExecutor.getTask}): going to wait
 * ends the current job; coming back with a job begins the next one. Waiting for work is idle, never
 * stuck. The enter hands the thread's state to the exit: one thread-local read per wait.
 */
public final class PoolWaitAdvice {
    private PoolWaitAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter() {
        return Probes.jobEnd();
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@UnitName int pool, @Advice.This Object executor, @Advice.Return Object job,
                     @Advice.Enter ThreadState state) {
        if (job != null) {
            Probes.jobBegin(state, pool, executor);
        }
    }
}
