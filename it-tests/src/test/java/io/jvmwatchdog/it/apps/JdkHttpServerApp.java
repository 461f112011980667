package io.jvmwatchdog.it.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The JDK's own HTTP server ({@code com.sun.net.httpserver}) on a loopback ephemeral port, serving
 * {@link Routes} from one handler on the context "/". With no argument, no executor is set: the
 * server's dispatcher thread runs every exchange itself, as the JDK does by default. With the argument
 * {@code executor}, a fixed pool of four threads runs them. Runs until killed.
 */
public final class JdkHttpServerApp {

    private JdkHttpServerApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", JdkHttpServerApp::handle);
        if (args.length > 0 && args[0].equals("executor")) {
            server.setExecutor(Executors.newFixedThreadPool(4));
        }
        server.start();
        Routes.ready(server.getAddress().getPort());
        Thread.currentThread().join();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = Routes.serve(exchange.getRequestURI().getPath()); // the path, without the query
            int status = 200;
            if (body == null) {
                status = 404;
                body = "not found";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
