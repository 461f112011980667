package io.jvmwatchdog.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and printing of durations: {@code 500ms}, {@code 30s}, {@code 3m}, {@code 1h}, {@code PT3M}, {@code 0}. */
public final class Durations {

    static final String EXPECTED = "a duration such as 500ms, 30s, 3m, 1h or PT3M";

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String key, String value) throws InvalidOptionException {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_FORM.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                case "m": return Duration.ofMinutes(amount);
                case "h": return Duration.ofHours(amount);
                default: return Duration.ofDays(amount);
            }
        }
        if (text.startsWith("pt") || text.startsWith("p")) {
            try {
                Duration d = Duration.parse(value.trim());
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // fall through to the one message
            }
        }
        throw InvalidOptionException.invalidValue(key, value, EXPECTED);
    }

    /** Compact human form: {@code 2.5s}, {@code 3m 4s}, {@code 1h 2m}, {@code 750ms}. */
    public static String format(Duration d) {
        return formatNanos(d.toNanos());
    }

    public static String formatNanos(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        long millis = nanos / 1_000_000L;
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            long tenths = (millis % 1000) / 100;
            return tenths == 0 ? seconds + "s" : seconds + "." + tenths + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m " + (seconds % 60) + "s";
        }
        return minutes % 60 == 0 ? (minutes / 60) + "h" : (minutes / 60) + "h " + (minutes % 60) + "m";
    }

    /** The shortest option spelling that parses back to {@code d}. */
    public static String toOption(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long millis = d.toMillis();
        if (d.toNanos() % 1_000_000L != 0) {
            return d.toString();
        }
        if (millis % 3_600_000L == 0) {
            return (millis / 3_600_000L) + "h";
        }
        if (millis % 60_000L == 0) {
            return (millis / 60_000L) + "m";
        }
        if (millis % 1000 == 0) {
            return (millis / 1000) + "s";
        }
        return millis + "ms";
    }
}
