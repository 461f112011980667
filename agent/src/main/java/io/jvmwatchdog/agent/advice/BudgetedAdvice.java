package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** Around an {@code entry=} method: any one state past the timeout is stuck. */
public final class BudgetedAdvice {
    private BudgetedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@EntryName String entry) {
        Probes.enterBudgeted(entry);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Probes.exitBudgeted();
    }
}
