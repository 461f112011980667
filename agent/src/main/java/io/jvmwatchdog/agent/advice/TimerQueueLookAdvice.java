package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * A {@code java.util.Timer}'s thread looks at its queue again ({@code TaskQueue.isEmpty}, at the top of
 * its loop, before it waits for the next task to be due): the task it ran is over. Only the timer's
 * thread calls it.
 */
public final class TimerQueueLookAdvice {
    private TimerQueueLookAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.queueWaitBegins();
    }
}
