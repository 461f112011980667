package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around Tomcat's {@code CoyoteAdapter.service(Request, Response)}, where every request enters the
 * container: a budgeted unit named by the method and the URI path (Tomcat converts and caches both;
 * the servlet layer would ask for them anyway). See {@link JettyRequestAdvice} for why the types
 * appear only in the body.
 */
public final class TomcatRequestAdvice {
    private TomcatRequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object request) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                org.apache.coyote.Request r = (org.apache.coyote.Request) request;
                method = r.getMethod();
                path = r.requestURI().toString();
            } catch (Throwable unnamed) {
                // Unnamed, still watched.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
