package io.jvmwatchdog.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options from the agent argument, system properties, the environment and a file, in that order. */
class ConfigSourcesTest {

    @Test
    void eachKeyComesFromTheFirstSourceThatHasIt_argumentThenPropertyThenEnvironmentThenFileThenDefault(
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("watchdog.properties");
        Files.writeString(file, "timeout=9m\naction=panic\nperiod=7s\nstartup-timeout=5m\n");
        ConfigSources.Resolved r = ConfigSources.resolve("timeout=1m,config=" + file,
                Map.of("watchdog.timeout", "2m", "watchdog.action", "log", "java.version", "17"),
                Map.of("WATCHDOG_TIMEOUT", "3m", "WATCHDOG_ACTION", "panic", "WATCHDOG_PERIOD", "4s"));
        Options o = r.options();
        assertEquals(Duration.ofMinutes(1), o.timeout());
        assertEquals(Action.LOG, o.action(), "a system property beats the environment and the file");
        assertEquals(Duration.ofSeconds(4), o.period(), "the environment beats the file");
        assertEquals(Duration.ofMinutes(5), o.startupTimeout(), "the file beats the default");
        assertEquals(Action.LOG, o.startupAction(), "default");
        assertEquals(Map.of("timeout", "agent argument", "action", "system property watchdog.action",
                "period", "environment WATCHDOG_PERIOD", "startup-timeout", "config file " + file,
                "config", "agent argument"), r.sources());
        assertTrue(r.describe().startsWith("timeout=1m (agent argument), action=log (system property watchdog.action),"
                + " period=4s (environment WATCHDOG_PERIOD), startup-timeout=5m (config file " + file + "),"
                + " startup-action=log (default)"), r.describe());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void configFileMayItselfComeFromAPropertyOrTheEnvironment_andDashesBecomeUnderscores(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("w.properties");
        Files.writeString(file, "action=panic\n");
        ConfigSources.Resolved r = ConfigSources.resolve(null, Map.of(),
                Map.of("WATCHDOG_CONFIG", file.toString(), "WATCHDOG_STARTUP_TIMEOUT", "45s"));
        assertEquals(Action.PANIC, r.options().action());
        assertEquals(Duration.ofSeconds(45), r.options().startupTimeout());
        assertEquals("environment WATCHDOG_CONFIG", r.sources().get("config"));
    }

    @Test
    void aBadValueIsRejectedWhereverItComesFrom_andTheMessageSaysWhere(@TempDir Path dir) throws Exception {
        InvalidOptionException property = assertThrows(InvalidOptionException.class, () ->
                ConfigSources.resolve(null, Map.of("watchdog.timeout", "3x"), Map.of()));
        assertEquals("watchdog: invalid value '3x' for 'timeout' in system property watchdog.timeout"
                + " (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)", property.getMessage());
        InvalidOptionException env = assertThrows(InvalidOptionException.class, () ->
                ConfigSources.resolve(null, Map.of(), Map.of("WATCHDOG_ACTION", "explode")));
        assertTrue(env.getMessage().startsWith("watchdog: invalid value 'explode' for 'action' in environment WATCHDOG_ACTION"),
                env.getMessage());
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "timout=3m\n");
        InvalidOptionException unknownInFile = assertThrows(InvalidOptionException.class, () ->
                ConfigSources.resolve("config=" + file, Map.of(), Map.of()));
        assertTrue(unknownInFile.getMessage().startsWith("watchdog: unknown option 'timout' in config file " + file),
                unknownInFile.getMessage());
        InvalidOptionException missing = assertThrows(InvalidOptionException.class, () ->
                ConfigSources.resolve("config=" + dir.resolve("none.properties"), Map.of(), Map.of()));
        assertEquals("watchdog: cannot read '" + dir.resolve("none.properties") + "' for 'config' in agent argument"
                + " (no such file; expected a readable properties file)", missing.getMessage());
    }

    @Test
    void sharedNamespaces_unknownPropertiesAreWarnedAbout_unknownVariablesIgnored() throws Exception {
        ConfigSources.Resolved r = ConfigSources.resolve(null,
                Map.of("watchdog.timout", "3m", "watchdog.debug", "true", "watchdog.it.jar", "x"),
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"));
        assertEquals(Options.defaults(), r.options());
        assertEquals(List.of("JVM Watchdog: ignoring system property watchdog.timout: no such option (expected one of"
                + " timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install,"
                + " interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers,"
                + " config)"), r.warnings());
    }

    @Test
    void aLaterAttach_changesWhatItNames_andEveryOtherOptionKeepsItsValue(@TempDir Path dir) throws Exception {
        Options running = ConfigSources.fromArgument("timeout=2s,action=panic,interrupt-after=10s");
        ConfigSources.Resolved r = ConfigSources.onTopOf(running, "timeout=5m");
        assertEquals(Duration.ofMinutes(5), r.options().timeout());
        assertEquals(Action.PANIC, r.options().action(), "not back to the default");
        assertEquals(Duration.ofSeconds(10), r.options().interruptAfter());
        assertEquals(Map.of("timeout", "agent argument"), r.sources());

        Path file = dir.resolve("more.properties");
        Files.writeString(file, "action=log\ntimeout=9m\n");
        ConfigSources.Resolved viaFile = ConfigSources.onTopOf(running, "timeout=1m,config=" + file);
        assertEquals(Duration.ofMinutes(1), viaFile.options().timeout(), "the argument beats its file");
        assertEquals(Action.LOG, viaFile.options().action(), "named in the file the argument names");
        assertEquals(Map.of("timeout", "agent argument", "action", "config file " + file), viaFile.sources());

        InvalidOptionException bad = assertThrows(InvalidOptionException.class, () -> ConfigSources.onTopOf(running, "action=pnic"));
        assertEquals("watchdog: invalid value 'pnic' for 'action' (expected log, logwarning or panic)", bad.getMessage());
    }
}
