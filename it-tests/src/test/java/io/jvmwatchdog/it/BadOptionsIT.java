package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HelloApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad {@code -javaagent} option stops the JVM before main, like a wrong -XX flag: one line on
 * stderr, status 2, no stack trace, no "FATAL ERROR".
 */
class BadOptionsIT {

    private static final String KEYS = "timeout, action, period, startup-timeout, startup-action, ready, entry, events, dump-dir, install, interrupt-after, panic-after, panic-min-threads, shutdown-timeout, stall-threshold, dump-synchronizers, config";

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("unknown key", "timout=2s",
                        "watchdog: unknown option 'timout' (expected one of " + KEYS + ")"),
                Arguments.of("bad action", "timeout=2s,action=pnic",
                        "watchdog: invalid value 'pnic' for 'action' (expected log, logwarning or panic)"),
                Arguments.of("bad duration", "timeout=3x",
                        "watchdog: invalid value '3x' for 'timeout' (expected a duration such as 500ms, 30s, 3m, 1h or PT3M)"),
                Arguments.of("malformed entry pattern", "timeout=2s,entry=NoHash",
                        "watchdog: invalid value 'NoHash' for 'entry' (expected Class#method"),
                Arguments.of("duplicated key", "timeout=2s,timeout=3s",
                        "watchdog: option 'timeout' is given twice"),
                Arguments.of("missing '='", "timeout=2s,panic",
                        "watchdog: invalid option 'panic' (expected key=value"),
                Arguments.of("dump-dir that is no directory", "timeout=2s,dump-dir=/proc/version",
                        "watchdog: cannot use '/proc/version' for 'dump-dir' (not a writable directory;"
                                + " expected an existing writable directory)"),
                Arguments.of("events file that cannot be opened", "timeout=2s,events=/nonexistent-dir/e.jsonl",
                        "watchdog: cannot open '/nonexistent-dir/e.jsonl' for 'events' (No such file or directory;"
                                + " expected a writable file path)"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badOptions")
    void badOptionStopsTheJvmBeforeMain(String what, String options, String expectedLine) {
        JvmProcess.Result r = JvmProcess.app(HelloApp.class).agent(options).run(Deadlines.EXIT);
        assertEquals(2, r.exitCode, () -> "exit status\n" + r.describe());
        assertEquals("", r.stdout, () -> "main must not run\n" + r.describe());
        List<String> lines = Lines.meaningful(r.stderr);
        assertEquals(1, lines.size(), () -> "exactly one line on stderr\n" + r.describe());
        assertTrue(lines.get(0).startsWith(expectedLine),
                () -> "expected a line starting with\n  " + expectedLine + "\n" + r.describe());
        assertEquals(List.of(), Lines.stackTraceLike(r.stderr), () -> "no stack trace\n" + r.describe());
    }
}
