package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Undertow's {@code Connectors.executeRootHandler(HttpHandler, HttpServerExchange)}, which runs
 * a request's handlers on an I/O thread and again on a worker after a dispatch: a budgeted unit named
 * by method and request path. See {@link JettyRequestAdvice} for why the types appear only in the body.
 */
public final class UndertowRequestAdvice {
    private UndertowRequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object exchange) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                io.undertow.server.HttpServerExchange x = (io.undertow.server.HttpServerExchange) exchange;
                method = x.getRequestMethod().toString();
                path = x.getRequestPath();
            } catch (Throwable unnamed) {
                // Unnamed, still watched.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
