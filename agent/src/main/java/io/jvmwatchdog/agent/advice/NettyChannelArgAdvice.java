package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Netty 4.1's
 * {@code NioEventLoop.processSelectedKey(SelectionKey, AbstractNioChannel)}: one channel's I/O event,
 * the channel passed as the second argument. See {@link NettyChannelAdvice}.
 */
public final class NettyChannelArgAdvice {
    private NettyChannelArgAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object channel) {
        return Probes.enterEventLoop(entry, channel);
    }
}
