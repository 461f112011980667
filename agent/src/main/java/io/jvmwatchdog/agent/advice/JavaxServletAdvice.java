package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * The same as {@link ServletAdvice}, for {@code javax.servlet} containers (Servlet 4 and older):
 * {@code javax.servlet.Servlet#service(ServletRequest, ServletResponse)}.
 */
public final class JavaxServletAdvice {
    private JavaxServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static ThreadState enter(@SiteId int entry,
                      @RequestArgument Object request) {
        String method = null;
        String path = null;
        if (Probes.wantsRequestName()) {
            try {
                if (request instanceof javax.servlet.http.HttpServletRequest r) {
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
