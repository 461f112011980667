package io.jvmwatchdog.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {

    @Test
    void parse_nullOrBlank_givesTheSeedDefaults() throws Exception {
        for (String args : new String[] {null, "", "  "}) {
            Options o = ConfigSources.fromArgument(args);
            assertEquals(Duration.ofMinutes(3), o.timeout());
            assertEquals(Action.LOG, o.action());
            assertEquals(Duration.ofSeconds(45), o.period());
            assertEquals(Duration.ofSeconds(30), o.startupTimeout());
            assertEquals(Action.LOG, o.startupAction());
            assertEquals(Optional.empty(), o.ready());
            assertEquals(List.of(), o.entries());
            assertEquals(Optional.empty(), o.events());
        }
    }

    @Test
    void parse_everyKey_setsIt() throws Exception {
        Options o = ConfigSources.fromArgument(" timeout=2s, action=PANIC,period=500ms,startup-timeout=PT1M,startup-action=logwarning,"
                + "ready=com.example.App#ready,entry=com.example.Worker#process;com.example.Outer$Inner#*,events=/tmp/ev.jsonl,"
                + "dump-dir=/var/tmp/dumps");
        assertEquals(Duration.ofSeconds(2), o.timeout());
        assertEquals(Action.PANIC, o.action());
        assertEquals(Duration.ofMillis(500), o.period());
        assertEquals(Duration.ofMinutes(1), o.startupTimeout());
        assertEquals(Action.LOG, o.startupAction());
        assertEquals("com.example.App#ready", o.ready().orElseThrow().toString());
        assertEquals(2, o.entries().size());
        assertEquals("com.example.Worker", o.entries().get(0).className());
        assertEquals("process", o.entries().get(0).methodName());
        assertEquals("com.example.Outer$Inner", o.entries().get(1).className());
        assertTrue(o.entries().get(1).anyMethod());
        assertEquals(Path.of("/tmp/ev.jsonl"), o.events().orElseThrow());
        assertEquals(Path.of("/var/tmp/dumps"), o.dumpDir().orElseThrow());
    }

    @Test
    void period_defaultsToAQuarterOfTheTimeout_andFollowsIt() throws Exception {
        assertEquals(Duration.ofMillis(500), ConfigSources.fromArgument("timeout=2s").period());
        assertEquals(Duration.ofSeconds(15), ConfigSources.fromArgument("timeout=1m").period());
    }

    @Test
    void timeoutZero_disablesStuckChecking() throws Exception {
        assertFalse(ConfigSources.fromArgument("timeout=0").stuckCheckEnabled());
        assertTrue(ConfigSources.fromArgument("timeout=1ms").stuckCheckEnabled());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "500ms|PT0.5S", "30s|PT30S", "3m|PT3M", "1h|PT1H", "2d|PT48H", "PT3M|PT3M", "pt90s|PT1M30S", "0|PT0S", "0ms|PT0S"})
    void durations_acceptTheDocumentedForms(String text, String iso) throws Exception {
        assertEquals(Duration.parse(iso), ConfigSources.fromArgument("timeout=" + text).timeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "action=pnic|watchdog: invalid value 'pnic' for 'action' (expected log, logwarning or panic)",
        "startup-action=halt|watchdog: invalid value 'halt' for 'startup-action' (expected log, logwarning or panic)",
        "timeout=3x|watchdog: invalid value '3x' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "timeout=|watchdog: invalid value '' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "timeout=-1s|watchdog: invalid value '-1s' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "timeout=PT-3M|watchdog: invalid value 'PT-3M' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "timeout=5|watchdog: invalid value '5' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "startup-timeout=soon|watchdog: invalid value 'soon' for 'startup-timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)",
        "period=0|watchdog: invalid value '0' for 'period' (expected a duration of at least 10ms)",
        "period=5ms|watchdog: invalid value '5ms' for 'period' (expected a duration of at least 10ms)",
        "ready=NoHash|watchdog: invalid value 'NoHash' for 'ready' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "entry=a.B#m;#x|watchdog: invalid value '#x' for 'entry' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "entry=a.B#m#n|watchdog: invalid value 'a.B#m#n' for 'entry' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "entry=a..B#m|watchdog: invalid value 'a..B#m' for 'entry' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "entry=a.B#m(int)|watchdog: invalid value 'a.B#m(int)' for 'entry' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "entry=a.*#run|watchdog: invalid value 'a.*#run' for 'entry' (expected Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*)",
        "events=|watchdog: invalid value '' for 'events' (expected a file path)",
        "install=later|watchdog: invalid value 'later' for 'install' (expected before-main, beside-main, background or after-start)",
        "timout=3m|watchdog: unknown option 'timout' (expected one of timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install, interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers, config)",
        "timeout|watchdog: invalid option 'timeout' (expected key=value, with keys timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install, interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers, config)",
        "timeout=1s,,action=log|watchdog: invalid option '' (expected key=value, with keys timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install, interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers, config)",
        "=3m|watchdog: invalid option '=3m' (expected key=value, with keys timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install, interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers, config)",
        "timeout=1s,timeout=2s|watchdog: option 'timeout' is given twice (expected each key once)"})
    void badInput_givesOneLineNamingKeyValueAndExpectation(String args, String message) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConfigSources.fromArgument(args));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(0, e.getStackTrace().length, "no stack trace is ever filled in");
    }

    @Test
    void describe_roundTripsThroughParse() throws Exception {
        Options o = ConfigSources.fromArgument("timeout=90s,action=panic,entry=a.B#c,ready=a.B#r");
        assertEquals("timeout=90s,action=panic,period=22500ms,startup-timeout=30s,startup-action=log,"
                + "ready=a.B#r,entry=a.B#c,events=none,dump-dir=none,install=beside-main,interrupt-after=0,panic-after=0,panic-min-threads=1,shutdown-timeout=0,stall-threshold=50%,dump-synchronizers=false", o.toString());
        Options again = ConfigSources.fromArgument("timeout=90s,action=panic,period=22500ms,startup-timeout=30s,startup-action=log,"
                + "ready=a.B#r,entry=a.B#c");
        assertEquals(o, again);
    }
}
