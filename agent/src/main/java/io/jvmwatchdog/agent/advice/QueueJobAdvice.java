package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around a {@code BlockingQueue}'s waiting take ({@code take}, {@code poll} with a timeout): the
 * general worker-loop rule. Going to wait ends a job taken from a queue before; coming back with an
 * element begins the next, for a thread outside any other unit (see {@link Probes#queueJobBegins}).
 * The enter hands the thread's state to the exit: one thread-local read per take.
 */
public final class QueueJobAdvice {
    private QueueJobAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter() {
        return Probes.queueWaitBegins();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
    static void exit(@SiteId int site, @Advice.Return Object element, @Advice.Enter ThreadState state) {
        if (element != null) {
            Probes.queueJobBegins(state, site);
        }
    }
}
