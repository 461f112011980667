package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.UndertowApp;
import java.util.regex.Pattern;

/**
 * Issue 4 on Undertow 2.4: each run of a request's root handler is a
 * {@code Connectors.executeRootHandler} unit, on the XNIO I/O thread and again on the worker it
 * dispatches to; idle I/O threads wait in their selector outside any unit.
 */
class UndertowIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(UndertowApp.class)
                .withLibraries("undertow-", "xnio-", "jboss-", "wildfly-", "smallrye-");
    }

    @Override
    String unit() {
        return ServerReports.UNDERTOW_REQUEST;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.requestDetail(exchange);
    }
}
