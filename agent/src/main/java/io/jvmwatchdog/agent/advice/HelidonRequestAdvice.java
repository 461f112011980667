package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Helidon 4's
 * {@code Http1Connection.route(HttpPrologue, WritableHeaders, ...)}: the routing of one HTTP/1.1 request
 * on its connection's thread, a budgeted unit named by the method and the raw URI path of the request
 * line Helidon parsed (never the query string, and without path parameters such as a session id). The
 * connection's wait for the next request line is outside it. See {@link JettyRequestAdvice} for why
 * the types appear only in the body.
 */
public final class HelidonRequestAdvice {
    private HelidonRequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object prologue) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                io.helidon.http.HttpPrologue p = (io.helidon.http.HttpPrologue) prologue;
                method = p.method().text();
                // Raw: as the client sent it, so no decoded control character can reach a report line.
                path = p.uriPath().rawPathNoParams();
            } catch (Throwable unnamed) {
                // Unnamed, still watched.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
