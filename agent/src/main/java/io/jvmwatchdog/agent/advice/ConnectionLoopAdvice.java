package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import net.bytebuddy.asm.Advice;

/**
 * At the start of a loop that serves one connection's messages on a pool worker, for as long as the
 * connection lasts (RMI's {@code TCPTransport.handleMessages}, behind every JMX connection): the pool's
 * job ends here. Waiting for the connection's next message is idle, as a worker's wait for its next
 * job is: an idle JMX client keeps its connection's thread in a socket read for hours, which is no
 * hang. Each message served is a unit of its own row; when the loop ends, the worker goes back to
 * its pool, which begins its next job as usual.
 */
public final class ConnectionLoopAdvice {
    private ConnectionLoopAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Probes.jobEnd();
    }
}
