package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * At the end of {@code VirtualThread.run(Runnable)}, on the virtual thread itself: its state lets go
 * of the thread, so the registry never keeps a finished virtual thread alive (Java 21+).
 */
public final class VirtualThreadEndAdvice {
    private VirtualThreadEndAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Probes.virtualThreadEnds();
    }
}
