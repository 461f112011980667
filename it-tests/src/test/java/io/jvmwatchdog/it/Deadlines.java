package io.jvmwatchdog.it;

import java.time.Duration;

/**
 * How long the tests wait. Generous on purpose: two tests run at once on a small machine, each with
 * JVMs spinning a core. A deadline only bounds a failing test; a passing one goes on at the first
 * sign it waits for.
 */
public final class Deadlines {

    private Deadlines() {
    }

    /** A JVM up, agent installed and the program's "app: ready" printed. */
    public static final Duration START = Duration.ofSeconds(40);

    /**
     * A server (Tomcat, Jetty, Netty, Undertow) up and listening: measured at over 20 s once, with the
     * machine's load at 11 on two cores.
     */
    public static final Duration SERVER_START = Duration.ofSeconds(60);

    /**
     * From the stuck unit's start to the report, with timeout=2s: timeout (2 s) + period (0.5 s) +
     * a sampling round and the dump, plus slack for a loaded machine (a late loop defers verdicts).
     */
    public static final Duration DETECT = Duration.ofSeconds(20);

    /** A program that ends by itself (or a JVM being halted), once it should. */
    public static final Duration EXIT = Duration.ofSeconds(30);

    /** One run of the watchdog CLI. */
    public static final Duration CLI = Duration.ofSeconds(60);
}
