package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around an {@code entry=} method: any one state past the timeout is stuck. Its exit is also the exit
 * of every request and event-loop advice, whose enter returns the thread's state the same way: the
 * pair reads the thread-local once.
 */
public final class BudgetedAdvice {
    private BudgetedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry) {
        return Probes.enterBudgeted(entry);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter ThreadState state) {
        Probes.exitBudgeted(state);
    }
}
