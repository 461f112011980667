package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * Around a pool worker's wait for its next job ({@code ThreadPoolExecutor.getTask}): going to wait
 * ends the current job; coming back with a job begins the next one. Waiting for work is idle, never
 * stuck.
 */
public final class PoolWaitAdvice {
    private PoolWaitAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.jobEnd();
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@UnitName String pool, @Advice.Return Object job) {
        if (job != null) {
            Probes.jobBegin(pool);
        }
    }
}
