package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.JettyApp;
import java.util.regex.Pattern;

/**
 * Issue 4 on Jetty 12 with a plain core handler (no servlet jars on the class path): each request is
 * a {@code Server.handle} unit, run by a {@code QueuedThreadPool} job.
 */
class JettyIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(JettyApp.class).withLibraries("jetty-server", "jetty-http", "jetty-io", "jetty-util", "slf4j-api");
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
