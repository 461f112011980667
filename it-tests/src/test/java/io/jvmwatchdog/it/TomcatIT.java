package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.TomcatApp;
import java.util.regex.Pattern;

/**
 * Issue 4 on embedded Tomcat 11: each request is a {@code CoyoteAdapter.service} unit, on a worker of
 * Tomcat's own {@code ThreadPoolExecutor}; the servlet's {@code service} runs inside it.
 */
class TomcatIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(TomcatApp.class).withLibraries("tomcat-");
    }

    @Override
    String unit() {
        return ServerReports.TOMCAT_REQUEST;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.requestDetail(exchange);
    }
}
