package io.jvmwatchdog.it.apps;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;

/**
 * Undertow 2 with its defaults (XNIO I/O threads, a worker pool on JBoss threads) on a loopback
 * ephemeral port, serving {@link Routes}. The handler dispatches from the I/O thread to a worker, the
 * usual way for blocking work, so a request runs its root handler twice: once on the I/O thread, once
 * on the worker. Runs until killed.
 */
public final class UndertowApp {

    private UndertowApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new RoutesHandler()).build();
        server.start();
        Routes.ready(((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
        Thread.currentThread().join();
    }

    private static final class RoutesHandler implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            exchange.startBlocking();
            String body = Routes.serve(exchange.getRequestPath());
            if (body == null) {
                exchange.setStatusCode(404);
                body = "not found";
            }
            exchange.getResponseSender().send(body);
        }
    }
}
