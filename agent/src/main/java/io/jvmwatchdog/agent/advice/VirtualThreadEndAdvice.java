package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * At the end of {@code VirtualThread.run(Runnable)}, on the virtual thread itself: its state lets go
 * of the thread, so the registry never keeps a finished virtual thread alive (Java 21+).
 *
 * <p>It reads no field of the class it is woven into: {@code Thread.threadLocals} was package-private
 * on Java 21 and is private on 25, where reading it from here failed (suppressed) and no ended thread
 * was ever let go. Whether the thread has a thread-local map at all, so that one without is not made
 * to create one just to find it has no state, is asked in the boot runtime ({@code JdkInternals}).
 */
public final class VirtualThreadEndAdvice {
    private VirtualThreadEndAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit() {
        Probes.virtualThreadEnds();
    }
}
