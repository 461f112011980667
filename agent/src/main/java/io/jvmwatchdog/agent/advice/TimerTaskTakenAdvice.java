package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * A {@code java.util.Timer}'s thread has taken a due task off its queue ({@code TaskQueue.removeMin},
 * or {@code rescheduleMin} for a periodic task) and is about to run it: a job begins, as a job taken
 * from a {@code BlockingQueue} does under the general worker-loop rule, and ends at the thread's next
 * look at its queue ({@link TimerQueueLookAdvice}). The timer waits for work with
 * {@code Object.wait} on its queue, which no {@code BlockingQueue} row sees.
 */
public final class TimerTaskTakenAdvice {
    private TimerTaskTakenAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@UnitName int timerLoop) {
        Probes.queueJobBegins(timerLoop);
    }
}
