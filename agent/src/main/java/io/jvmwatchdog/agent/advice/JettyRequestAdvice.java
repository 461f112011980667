package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Jetty 12's {@code Server.handle(Request, Response, Callback)}: one request, a budgeted unit,
 * named by the method and URI path Jetty already holds as strings (never the query string).
 *
 * <p>Jetty types appear only in the advice body, which is copied into Jetty's own class and resolved
 * there; the signature says {@code Object}, so weaving needs no Jetty class (the agent is compiled
 * against Jetty, it does not ship it).
 */
public final class JettyRequestAdvice {
    private JettyRequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object request) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                org.eclipse.jetty.server.Request r = (org.eclipse.jetty.server.Request) request;
                method = r.getMethod();
                path = r.getHttpURI().getPath();
            } catch (Throwable unnamed) {
                // A request Jetty cannot describe stays a watched request without a name.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
