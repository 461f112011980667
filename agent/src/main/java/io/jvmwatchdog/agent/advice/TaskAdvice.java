package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/** Around a JDK executor's unit of work: the thread is watched by the default rule while inside. */
public final class TaskAdvice {
    private TaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@EntryName String entry) {
        Probes.enterTask(entry);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Probes.exitTask();
    }
}
