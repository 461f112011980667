package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around {@code VirtualThread.parkOnCarrierThread}: the JDK's path for a park that could not
 * unmount, so the virtual thread is pinned and its carrier waits with it (Java 21+).
 */
public final class PinnedParkAdvice {
    private PinnedParkAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter() {
        return Probes.pinnedParkBegin();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit(@Advice.Enter ThreadState state) {
        Probes.pinnedParkEnd(state);
    }
}
