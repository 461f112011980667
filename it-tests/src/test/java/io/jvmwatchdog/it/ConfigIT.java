package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HelloApp;
import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options as other agents take them: the agent argument, then system properties {@code watchdog.<key>},
 * then environment variables {@code WATCHDOG_<KEY>}, then a {@code config=} file, then the default;
 * the configuration in force logged once at start, each value with its source.
 */
class ConfigIT {

    @Test
    void everySourceIsRead_inOrderOfPrecedence_andTheConfigurationIsLoggedOnceWithItsSources(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("watchdog.properties");
        Files.writeString(file, "timeout=9s\naction=panic\nstartup-timeout=40s\n");
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--wait-for-go")
                .jvmArg("-Dwatchdog.action=log").jvmArg("-Dwatchdog.period=1s")
                .env("WATCHDOG_PERIOD", "3s").env("WATCHDOG_STARTUP_ACTION", "panic").env("WATCHDOG_CONFIG", file.toString())
                .env("WATCHDOG_USEC", "30000000") // systemd's, for its own watchdog: not ours, ignored
                .agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStderr("INFO  [jvm-watchdog] JVM Watchdog configuration: timeout=2s (agent argument),"
                    + " action=log (system property watchdog.action), period=1s (system property watchdog.period),"
                    + " startup-timeout=40s (config file " + file + "), startup-action=panic (environment"
                    + " WATCHDOG_STARTUP_ACTION), ready=none (default), entry=none (default), events=none (default),"
                    + " dump-dir=none (default), install=beside-main (default)", Deadlines.START);
            app.awaitStderr("JVM Watchdog started: timeout 2s, period 1s, action log", Deadlines.START);
            assertEquals(1, app.stderr().split("JVM Watchdog configuration:", -1).length - 1,
                    () -> "logged once\n" + app.describe());
        }
    }

    @Test
    void aBadValueFromAnySourceStopsTheJvmBeforeMain_withOneLineSayingWhere(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.properties");
        Files.writeString(file, "action=pnic\n");
        JvmProcess.Result property = JvmProcess.app(HelloApp.class).jvmArg("-Dwatchdog.timeout=3x").agent("")
                .run(Deadlines.EXIT);
        assertRejected(property, "watchdog: invalid value '3x' for 'timeout' in system property watchdog.timeout"
                + " (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)");
        JvmProcess.Result env = JvmProcess.app(HelloApp.class).env("WATCHDOG_CONFIG", file.toString()).agent("")
                .run(Deadlines.EXIT);
        assertRejected(env, "watchdog: invalid value 'pnic' for 'action' in config file " + file
                + " (expected log, logwarning or panic)");
    }

    private static void assertRejected(JvmProcess.Result r, String line) {
        assertEquals(2, r.exitCode, () -> "exit status\n" + r.describe());
        assertEquals("", r.stdout, () -> "main must not run\n" + r.describe());
        assertEquals(List.of(line), Lines.meaningful(r.stderr), r::describe);
        assertTrue(Lines.stackTraceLike(r.stderr).isEmpty(), r::describe);
    }
}
