package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.JettyApp;
import java.util.regex.Pattern;

/**
 * Issue 4 on Jetty 12 with a jakarta servlet (ee10): the servlet's {@code service} runs inside the
 * request's {@code Server.handle}, so the outermost unit, and the entry, is still the request.
 */
class JettyServletIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(JettyApp.class).args("servlet").withLibraries("jetty-", "slf4j-api", "jakarta.servlet-api");
    }

    @Override
    String unit() {
        return ServerReports.JETTY_REQUEST;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.requestDetail(exchange);
    }
}
