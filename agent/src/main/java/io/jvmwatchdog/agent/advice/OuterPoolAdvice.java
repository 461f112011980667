package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * On a pool's task whose class is an inner class of the pool (JBoss Threads' {@code
 * EnhancedQueueExecutor$Task} and {@code $ThreadBody}): names the pool, the enclosing instance, for
 * the pool-starvation rule. A row of its own beside the task's row: a version compiled without the
 * enclosing-instance field loses only this, never the task unit.
 */
public final class OuterPoolAdvice {
    private OuterPoolAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Object pool) {
        Probes.namePool(pool);
    }
}
