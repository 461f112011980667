package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around a blocking JDK call: marks the thread as inside it. Only the outermost marked call counts
 * (see {@link Probes#blockBegin}); the enter advice hands that fact to the exit advice.
 *
 * <p>{@code backupArguments = false}, here and on the other exits woven into JDK methods and
 * executors' tasks: Byte Buddy otherwise copies {@code this} and every argument into new locals for
 * the exit, which reads none of them. Each copy is a slot in every frame of the woven method, and a
 * parked virtual thread keeps those frames in its stack chunk (interpreted ones hold every slot). Not
 * on the advice of {@code entry=} methods and servers' requests, which may be woven into any
 * bytecode: there the copy keeps Byte Buddy's frames right for a method that reuses an argument's
 * slot for another type.
 */
public final class BlockingAdvice {
    private BlockingAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int site) {
        return Probes.blockBegin(site);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit(@Advice.Enter ThreadState outermost) {
        Probes.blockEnd(outermost);
    }
}
