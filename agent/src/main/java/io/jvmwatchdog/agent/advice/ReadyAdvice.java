package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** On normal return of the {@code ready=} method (or the API's {@code ready()}): startup is complete. */
public final class ReadyAdvice {
    private ReadyAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit() {
        Probes.ready();
    }
}
