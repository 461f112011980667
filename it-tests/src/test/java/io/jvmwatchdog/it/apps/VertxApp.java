package io.jvmwatchdog.it.apps;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;

/**
 * Vert.x 5 core with its defaults (NIO event loops, the worker pool of 20 threads) on a loopback
 * ephemeral port: its request handler serves {@link Routes} right on the event loop, so a hang route
 * blocks the event loop, the very thing Vert.x says a handler must never do. Two more routes hand a
 * spinning task ({@link PoolTasks#spinForever}) elsewhere and answer at once:
 * <ul>
 *   <li>{@value #SPIN_BLOCKING}: to {@code executeBlocking}, the worker pool;</li>
 *   <li>{@value #SPIN_TIMER}: to a timer, which fires on the event loop.</li>
 * </ul>
 * Runs until killed.
 */
public final class VertxApp {

    public static final String SPIN_BLOCKING = "/spin/blocking";
    public static final String SPIN_TIMER = "/spin/timer";

    private VertxApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> handle(vertx, request))
                .listen(0, "127.0.0.1")
                .await();
        Routes.ready(server.actualPort());
    }

    private static void handle(Vertx vertx, HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case SPIN_BLOCKING -> {
                vertx.executeBlocking(() -> {
                    PoolTasks.spinForever();
                    return null;
                });
                request.response().end("spinning");
            }
            case SPIN_TIMER -> {
                vertx.setTimer(1, id -> PoolTasks.spinForever());
                request.response().end("spinning");
            }
            default -> {
                String body;
                try {
                    body = Routes.serve(path);
                } catch (IOException e) {
                    request.response().setStatusCode(500).end(e.toString());
                    return;
                }
                if (body == null) {
                    request.response().setStatusCode(404).end("not found");
                } else {
                    request.response().end(body);
                }
            }
        }
    }
}
