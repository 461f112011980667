package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** The API's {@code Section.close()}. */
public final class SectionExitAdvice {
    private SectionExitAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.exitBudgeted();
    }
}
