package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * Around {@code ThreadPoolExecutor.runWorker}: a worker created with a first job runs it before it
 * ever waits for work, so the loop's start begins a job; its end (normal or by a job's exception)
 * ends whatever job is open. See {@link PoolWaitAdvice} for the jobs in between.
 */
public final class WorkerLoopAdvice {
    private WorkerLoopAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@UnitName int pool, @Advice.This Object executor) {
        Probes.jobBegin(pool, executor);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Probes.jobEnd();
    }
}
