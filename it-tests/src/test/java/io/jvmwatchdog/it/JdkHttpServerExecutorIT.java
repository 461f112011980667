package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.JdkHttpServerApp;
import java.util.regex.Pattern;

/**
 * {@link JdkHttpServerIT} with an executor set ({@code HttpServer.setExecutor}, a fixed pool): the
 * exchange is the same unit, on the pool's worker, inside the pool's job; the request's budget holds.
 */
class JdkHttpServerExecutorIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(JdkHttpServerApp.class).args("executor");
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
