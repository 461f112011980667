package io.jvmwatchdog.it.apps;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Helidon 4 SE's web server with its defaults (one virtual thread per connection) on a loopback
 * ephemeral port, serving {@link Routes} from a plain handler for every GET. Runs until killed.
 */
public final class HelidonApp {

    private HelidonApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get("/*", HelidonApp::serve))
                .build()
                .start();
        Routes.ready(server.port());
        Thread.currentThread().join();
    }

    private static void serve(ServerRequest request, ServerResponse response) throws Exception {
        String body = Routes.serve(request.path().rawPath());
        if (body == null) {
            response.status(Status.NOT_FOUND_404).send("not found");
        } else {
            response.send(body);
        }
    }
}
