package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * On {@code ThreadPoolExecutor.beforeExecute}, which the run loop calls right before each job: a
 * second signal that a job begins, for a worker whose wait for work was already under way (old code)
 * when the agent was attached. Beginning a job twice is harmless.
 */
public final class JobStartAdvice {
    private JobStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@UnitName int pool, @Advice.This Object executor) {
        Probes.jobBegin(pool, executor);
    }
}
