package io.jvmwatchdog.bench.apps.quarkus;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The application's one endpoint: what makes it a REST application rather than an empty one. */
@Path("/hello")
public class HelloResource {

    @GET
    public String hello() {
        return "hello";
    }
}
