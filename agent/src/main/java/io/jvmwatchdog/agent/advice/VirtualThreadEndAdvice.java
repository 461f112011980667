package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * At the end of {@code VirtualThread.run(Runnable)}, on the virtual thread itself: its state lets go
 * of the thread, so the registry never keeps a finished virtual thread alive (Java 21+).
 *
 * <p>A thread with no thread-local map at all has no state either; asking the thread-local would make
 * it create one just before it ends. The advice runs inside {@code java.lang.VirtualThread}, which
 * may read {@code Thread.threadLocals} (package-private, same package), so it asks that first.
 */
public final class VirtualThreadEndAdvice {
    private VirtualThreadEndAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue(value = "threadLocals", declaringType = Thread.class, typing = Assigner.Typing.DYNAMIC) Object threadLocals) {
        if (threadLocals != null) {
            Probes.virtualThreadEnds();
        }
    }
}
