package io.jvmwatchdog.core.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every agent argument string either parses or yields the one-line error: nothing else escapes the
 * parser (no runtime exception, no multi-line message). Inputs are generated from a fixed seed, mixing
 * near-valid strings (real keys, real and broken values, patterns) with arbitrary characters.
 */
class OptionsFuzzTest {

    private static final int CASES = 100_000;
    private static final List<String> KEYS = List.of("timeout", "action", "period", "startup-timeout",
            "startup-action", "ready", "entry", "events", "timout", "", " timeout", "TIMEOUT", "=", "#");
    private static final List<String> VALUES = List.of("3m", "0", "500ms", "PT3M", "PT-1S", "P1D", "-1s", "1.5s",
            "99999999999999d", "log", "PANIC", "logwarning", "halt", "a.B#c", "a.B#*", "a$B#c", "#", "a#", "#b",
            "a..b#c", "a.B#c;d.E#f", "a.B#c;", ";", "a.B#c#d", "/tmp/x", "", " ", "\u0000", "é.ü#ß", "1h", "10ms",
            "9ms", "PT0.001S", "pt1m");
    private static final String ALPHABET = "abcxyzAZ09=,;#*$._-/ \t\n\u0000\u00e9\u2028:PTMSHDms";

    @Test
    void everyInput_parsesOrGivesTheOneLineError() {
        SplittableRandom random = new SplittableRandom(20261126L);
        for (int i = 0; i < CASES; i++) {
            String input = random.nextInt(3) == 0 ? noise(random) : nearValid(random);
            try {
                ConfigSources.fromArgument(input);
            } catch (InvalidOptionException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith("watchdog: ") && m.contains("expected") && m.lines().count() == 1
                                && m.chars().noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029),
                        () -> "message shape for " + printable(input) + ": " + m);
            } catch (RuntimeException | Error e) {
                fail("escaped the parser for " + printable(input) + ": " + e, e);
            }
        }
    }

    private static String nearValid(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int items = random.nextInt(5);
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(KEYS.get(random.nextInt(KEYS.size())));
            if (random.nextInt(10) > 0) {
                sb.append('=');
            }
            sb.append(VALUES.get(random.nextInt(VALUES.size())));
            if (random.nextInt(8) == 0) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    private static String noise(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            sb.append(random.nextInt(20) == 0 ? (char) random.nextInt(0x3000) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.append('\'').toString();
    }
}
