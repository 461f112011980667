package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** Around a pool worker's wait for its next job (e.g. {@code ThreadPoolExecutor.getTask}): idle, not stuck. */
public final class IdleAdvice {
    private IdleAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.idleBegin();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Probes.idleEnd();
    }
}
