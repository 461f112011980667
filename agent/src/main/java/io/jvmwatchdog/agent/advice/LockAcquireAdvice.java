package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Around the slow path of every AQS acquisition, {@code acquire(node, arg, shared, interruptible,
 * timed, time)}: the code only runs when the lock was not free at once, so an uncontended
 * {@code lock()} costs nothing. A non-interruptible, untimed acquisition is a lock wait (a hang if it
 * lasts); the rest ({@code lockInterruptibly}, {@code tryLock(timeout)}) are interruptible waits,
 * left to the park probe inside.
 */
public final class LockAcquireAdvice {
    private LockAcquireAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int site, @Advice.Argument(3) boolean interruptible,
                             @Advice.Argument(4) boolean timed) {
        return interruptible || timed ? null : Probes.blockBegin(site);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
    static void exit(@Advice.Enter ThreadState outermost) {
        Probes.blockEnd(outermost);
    }
}
