package io.jvmwatchdog.it.apps;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.util.Map;

/**
 * Micronaut 4's HTTP server on Netty with its defaults (thread selection MANUAL: a controller runs on
 * the event loop unless it says otherwise) on a loopback ephemeral port. {@link RoutesController}
 * serves {@link Routes} on the event loop, so a hang route blocks it; {@link BlockingController}
 * runs on {@link TaskExecutors#BLOCKING}, as Micronaut tells blocking controllers to, and spins there
 * ({@link PoolTasks#spinForever}). Runs until killed.
 */
public final class MicronautApp {

    public static final String SPIN_BLOCKING = "/spin/blocking";

    private MicronautApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        ApplicationContext context = Micronaut.build(args)
                .properties(Map.of("micronaut.server.host", "127.0.0.1", "micronaut.server.port", -1))
                .start();
        Routes.ready(context.getBean(EmbeddedServer.class).getPort());
    }

    /** Every other GET: {@link Routes}, on the event loop. */
    @Controller
    public static class RoutesController {
        @Get(uri = "/{+path}", produces = MediaType.TEXT_PLAIN)
        public HttpResponse<String> serve(HttpRequest<?> request) throws IOException {
            String body = Routes.serve(request.getPath());
            return body == null ? HttpResponse.notFound("not found") : HttpResponse.ok(body);
        }
    }

    /** A controller on the blocking executor: a cached pool on Java 17, virtual threads on 21+. */
    @Controller(SPIN_BLOCKING)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public static class BlockingController {
        @Get(produces = MediaType.TEXT_PLAIN)
        public String spin() {
            PoolTasks.spinForever();
            return "never";
        }
    }
}
