package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Enter advice (the exit is {@link BudgetedAdvice}'s) around any
 * {@code jakarta.servlet.Servlet#service(ServletRequest, ServletResponse)}, which covers servlet
 * containers generically, and around Jetty 11's request handling (see {@link RequestArgument}). Inside a container the agent knows (Jetty, Tomcat, Undertow) the request is
 * already a named unit and this only nests; elsewhere it is the request unit. The request's names are
 * read only when nothing named it yet: a filter's request wrapper is application code.
 */
public final class ServletAdvice {
    private ServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @RequestArgument Object request) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                if (request instanceof jakarta.servlet.http.HttpServletRequest r) {
                    method = r.getMethod();
                    path = r.getRequestURI();
                }
            } catch (Throwable unnamed) {
                // Unnamed, still watched.
            }
        }
        return Probes.enterRequest(entry, method, path);
    }
}
