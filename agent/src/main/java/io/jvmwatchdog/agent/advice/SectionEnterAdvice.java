package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** The API's {@code Watchdog.section(name)}: enters a budgeted span named by the application. */
public final class SectionEnterAdvice {
    private SectionEnterAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) String name) {
        Probes.enterSection(name);
    }
}
