package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around the JDK HTTP server's
 * {@code com.sun.net.httpserver.Filter.Chain.doFilter(HttpExchange)}: the user's filters, then the
 * handler. The exchange's unit ({@code sun.net.httpserver.ServerImpl$Exchange.run}) is entered before
 * the request line is read, so it cannot name the request; the first {@code doFilter} inside it does,
 * by the method and the raw URI path the server parsed (never the query string). The further calls
 * each filter makes only nest. See {@link JettyRequestAdvice} for why the types appear only in the body.
 */
public final class JdkHttpExchangeAdvice {
    private JdkHttpExchangeAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object exchange) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                com.sun.net.httpserver.HttpExchange x = (com.sun.net.httpserver.HttpExchange) exchange;
                method = x.getRequestMethod();
                // Raw: as the client sent it, so no decoded control character can reach a report line.
                path = x.getRequestURI().getRawPath();
            } catch (Throwable unnamed) {
                // Unnamed, still watched.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
