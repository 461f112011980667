package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * Issue 16 on Helidon 4 SE's web server (Java 21+; skipped when the children run on 17): each
 * connection is served on a virtual thread of its own, which reads a request, routes it, and reads
 * the next; one routing of a request ({@code Http1Connection.route}) is a request unit named by the
 * request, and a keep-alive connection's thread waiting for its next request is outside it.
 */
class HelidonIT extends ServerContract {

    /** Compiled apart for Java 21 (src/test/java21): named, never referred to. */
    private static final String APP = "io.jvmwatchdog.it.apps.HelidonApp";

    @BeforeEach
    void needsJava21() {
        Assumptions.assumeTrue(ItEnv.javaFeature() >= 21, "Helidon 4 needs Java 21+");
    }

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(APP).withLibraries("helidon-");
    }

    @Override
    String unit() {
        return ServerReports.HELIDON_REQUEST;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.requestDetail(exchange);
    }

    @Override
    boolean virtualThreads() {
        return true;
    }
}
