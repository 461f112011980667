package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Netty's
 * {@code AbstractEventExecutor.safeExecute/runTask(Runnable)}: one task run by an event loop or
 * another Netty executor, named by the task's class (a report must never call a task's code).
 */
public final class NettyTaskAdvice {
    private NettyTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object task) {
        return Probes.enterEventLoop(entry, task == null ? null : task.getClass());
    }
}
