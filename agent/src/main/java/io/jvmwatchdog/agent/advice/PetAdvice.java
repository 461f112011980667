package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** The API's {@code Watchdog.pet()}: progress. */
public final class PetAdvice {
    private PetAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.pet();
    }
}
