package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * Around {@code ForkJoinTask.doExec}: a task unit, as {@link TaskAdvice}, that also names the pool
 * whose worker runs it ({@code ForkJoinTask.getPool()}: the current thread's pool, or null outside
 * one), for the pool-starvation rule.
 */
public final class ForkJoinTaskAdvice {
    private ForkJoinTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry) {
        return Probes.enterPoolTask(entry, ForkJoinTask.getPool());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit(@Advice.Enter ThreadState state) {
        Probes.exitTask(state);
    }
}
