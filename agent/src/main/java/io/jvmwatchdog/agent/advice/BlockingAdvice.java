package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around a blocking JDK call: marks the thread as inside it. Only the outermost marked call counts
 * (see {@link Probes#blockBegin}); the enter advice hands that fact to the exit advice.
 */
public final class BlockingAdvice {
    private BlockingAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int site) {
        return Probes.blockBegin(site);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter ThreadState outermost) {
        Probes.blockEnd(outermost);
    }
}
