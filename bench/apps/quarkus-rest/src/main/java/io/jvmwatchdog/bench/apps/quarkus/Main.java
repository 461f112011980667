package io.jvmwatchdog.bench.apps.quarkus;

import java.time.Instant;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The Quarkus case of bench/startup.sh. Quarkus calls {@link #run} once it has started (HTTP server
 * listening, "started in ..." logged); it prints {@code BENCH-READY <wall clock in microseconds since
 * the epoch>} and returns, which shuts the application down, so that runs can be scripted. With the
 * system property {@code bench.stay=MILLIS} it stays up that long first.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        Instant now = Instant.now();
        System.out.println("BENCH-READY " + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000));
        System.out.flush();
        Thread.sleep(Long.getLong("bench.stay", 0L));
        return 0;
    }
}
