package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.JdkHttpServerApp;
import java.util.regex.Pattern;

/**
 * Issue 16 on the JDK's own HTTP server ({@code com.sun.net.httpserver}) with its defaults: no
 * executor, so the dispatcher thread runs each exchange itself, a {@code ServerImpl$Exchange.run} unit
 * named by the request; between exchanges it waits in its selector, outside any unit.
 */
class JdkHttpServerIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(JdkHttpServerApp.class);
    }

    @Override
    String unit() {
        return ServerReports.JDK_HTTP_EXCHANGE;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.requestDetail(exchange);
    }
}
