package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Netty 4.2's per-channel I/O handling,
 * {@code AbstractNioChannel.AbstractNioUnsafe.handle} and its epoll twin, and 4.1's epoll one, the
 * unsafes' {@code epollInReady}, {@code epollOutReady} and {@code epollRdHupReady}: the handlers'
 * callbacks for one channel event run inside, on the event loop, which must never block. The subject
 * is the channel (the unsafe's outer instance), whose {@code toString()} names its id and addresses.
 */
public final class NettyChannelAdvice {
    private NettyChannelAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.FieldValue(value = "this$0", typing = Assigner.Typing.DYNAMIC) Object channel) {
        return Probes.enterEventLoop(entry, channel);
    }
}
