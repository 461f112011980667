package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around a JDK executor's unit of work: the thread is watched by the default rule while inside.
 *
 * <p>{@code backupArguments = false}, here and on the other exits woven into JDK methods and
 * executors' tasks: Byte Buddy otherwise copies {@code this} and every argument into new locals for
 * the exit, which reads none of them. Each copy is a slot in every frame of the woven method, and a
 * parked virtual thread keeps those frames in its stack chunk (interpreted ones hold every slot). Not
 * on the advice of {@code entry=} methods and servers' requests, which may be woven into any
 * bytecode: there the copy keeps Byte Buddy's frames right for a method that reuses an argument's
 * slot for another type. (The blocking calls' probes add one local only: {@code JdkWeaver}.)
 */
public final class TaskAdvice {
    private TaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry) {
        return Probes.enterTask(entry);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit(@Advice.Enter ThreadState state) {
        Probes.exitTask(state);
    }
}
