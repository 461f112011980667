package io.jvmwatchdog.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One option of the agent, and {@link #ALL} of them: everything the agent knows about an option is
 * its row. The builder's checks, {@link Options#describe()}, the sources' key lists, the CLI's help,
 * what a later attach may not change, and the README's options table (checked by a test) all come
 * from these rows. Adding an option is a row here and a typed getter in {@link Options}.
 *
 * @param <T> the option's type once parsed
 */
public final class Option<T> {

    /**
     * What kind of value an option takes: how it is parsed (or the one line that says why not), how
     * it is written back, and what it must be beyond its type. A switch per kind, not a lambda per
     * row: the rows are read before {@code main}, where each lambda would cost the spinning of a
     * class (about 30 of them, some 20 ms of a launch).
     */
    enum Kind {
        /** A duration, not negative. */
        DURATION,
        /** A duration of at least {@link #MIN_PERIOD}, or null: a quarter of the timeout. */
        PERIOD,
        ACTION,
        INSTALL_MODE,
        /** {@code Class#method}, or null. */
        METHOD,
        /** {@code Class#method} patterns separated by {@code ;}. */
        ENTRIES,
        /** A file path, or null; opened at install. */
        PATH,
        /** A whole number of threads, at least 1. */
        COUNT,
        /** A percentage from 0 to 100. */
        PERCENT,
        BOOLEAN;

        Object parse(String key, String value) throws InvalidOptionException {
            return switch (this) {
                case DURATION, PERIOD -> Durations.parse(key, value);
                case ACTION -> Action.parse(key, value);
                case INSTALL_MODE -> InstallMode.parse(key, value);
                case METHOD -> MethodPattern.parse(key, value);
                case ENTRIES -> parseEntries(key, value);
                case PATH -> parsePath(key, value);
                case COUNT -> parseCount(key, value);
                case PERCENT -> parsePercent(key, value);
                case BOOLEAN -> parseBoolean(key, value);
            };
        }

        @SuppressWarnings("unchecked")
        String format(Object value) {
            return switch (this) {
                case DURATION, PERIOD -> Durations.toOption((Duration) value);
                case ACTION -> ((Action) value).optionValue();
                case INSTALL_MODE -> ((InstallMode) value).optionValue();
                case METHOD, PATH -> value == null ? NONE : value.toString();
                case ENTRIES -> formatEntries((List<MethodPattern>) value);
                case COUNT, BOOLEAN -> String.valueOf(value);
                case PERCENT -> value + "%";
            };
        }

        /** Null when the value is fine, else what was expected. */
        String expected(Object value) {
            return switch (this) {
                case DURATION -> value != null && !((Duration) value).isNegative() ? null : Durations.EXPECTED;
                case PERIOD -> value == null || ((Duration) value).compareTo(MIN_PERIOD) >= 0 ? null
                        : "a duration of at least 10ms";
                case ACTION -> value == null ? Action.EXPECTED : null;
                case INSTALL_MODE -> value == null ? InstallMode.EXPECTED : null;
                case METHOD, PATH -> null;
                case ENTRIES -> value == null ? MethodPattern.EXPECTED : null;
                case COUNT -> value != null && (Integer) value >= 1 ? null : COUNT_EXPECTED;
                case PERCENT -> value != null && (Integer) value >= 0 && (Integer) value <= 100 ? null : PERCENT_EXPECTED;
                case BOOLEAN -> value == null ? "true or false" : null;
            };
        }
    }

    /** Below this the loop would spin; nobody needs a finer period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);
    private static final String NONE = "none";
    private static final String PERCENT_EXPECTED = "a percentage from 0 to 100, such as 50%";
    private static final String COUNT_EXPECTED = "a whole number of threads, at least 1";

    private static final List<Option<?>> ROWS = new ArrayList<>();

    public static final Option<Duration> TIMEOUT = duration("timeout", Duration.ofMinutes(3),
            "stuck threshold; 0 disables stuck-thread checking");
    public static final Option<Action> ACTION = new Option<>("action", Action.LOG, Kind.ACTION, false,
            "log (also logwarning) or panic");
    /** Null: a quarter of the timeout, at least {@link #MIN_PERIOD}. */
    public static final Option<Duration> PERIOD = new Option<>("period", null, Kind.PERIOD, false,
            "how often the loop looks, at least 10ms");
    public static final Option<Duration> STARTUP_TIMEOUT = duration("startup-timeout", Duration.ofSeconds(30),
            "with ready: how long startup may take; 0 disables");
    public static final Option<Action> STARTUP_ACTION = new Option<>("startup-action", Action.LOG, Kind.ACTION, false,
            "as action, for the startup check");
    public static final Option<MethodPattern> READY = new Option<>("ready", null, Kind.METHOD, true,
            "Class#method whose first normal return marks startup complete");
    public static final Option<List<MethodPattern>> ENTRY = new Option<>("entry", List.of(), Kind.ENTRIES, true,
            "extra watched entry points: Class#method or Class#*, separated by ;");
    public static final Option<Path> EVENTS = path("events", "a JSON-lines file of events, appended to");
    public static final Option<Path> DUMP_DIR = path("dump-dir",
            "a directory where each incident's full report is also written");
    public static final Option<InstallMode> INSTALL = new Option<>("install", InstallMode.BESIDE_MAIN, Kind.INSTALL_MODE,
            false, "when the install runs: before-main, beside-main, background or after-start");
    public static final Option<Duration> INTERRUPT_AFTER = duration("interrupt-after", Duration.ZERO,
            "interrupt a thread stuck this long, once per episode; 0 never");
    public static final Option<Duration> PANIC_AFTER = duration("panic-after", Duration.ZERO,
            "under action=log, panic once threads are stuck this long; 0 never");
    public static final Option<Integer> PANIC_MIN_THREADS = new Option<>("panic-min-threads", 1, Kind.COUNT, false,
            "panic only when at least this many threads are stuck in one pass");
    public static final Option<Duration> SHUTDOWN_TIMEOUT = duration("shutdown-timeout", Duration.ZERO,
            "dump and halt if a graceful shutdown lasts longer; 0 no limit");
    public static final Option<Integer> STALL_THRESHOLD = new Option<>("stall-threshold", 50, Kind.PERCENT, false,
            "report the JVM stalled (jvm-stall) when stopped this share of a timeout; 0 off");
    public static final Option<Boolean> DUMP_SYNCHRONIZERS = new Option<>("dump-synchronizers", false, Kind.BOOLEAN,
            false, "list the locks each thread holds in a dump (walks the heap)");

    /** Every option, in the order they are described. */
    public static final List<Option<?>> ALL = List.copyOf(ROWS);

    private final String key;
    private final T defaultValue;
    private final Kind kind;
    private final boolean fixedAtInstall;
    private final String help;
    final int index;

    private Option(String key, T defaultValue, Kind kind, boolean fixedAtInstall, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.fixedAtInstall = fixedAtInstall;
        this.help = help;
        this.index = ROWS.size();
        ROWS.add(this);
    }

    /** The key, as in {@code key=value}, {@code watchdog.<key>} and {@code WATCHDOG_<KEY>}. */
    public String key() {
        return key;
    }

    T defaultValue() {
        return defaultValue;
    }

    /**
     * Whether only a restart changes it: the instrumentation was built from it, or a file was opened
     * from it at install. A later attach that names another value is refused.
     */
    public boolean fixedAtInstall() {
        return fixedAtInstall;
    }

    /** One line for the CLI's help. */
    public String help() {
        return help;
    }

    /** The value in option syntax: what {@link #parse} reads back. */
    public String format(T value) {
        return kind.format(value);
    }

    /** The default in option syntax, as the README's table gives it. */
    public String defaultText() {
        return this == PERIOD ? "timeout/4" : format(defaultValue);
    }

    /** Parses and checks the string form. */
    @SuppressWarnings("unchecked")
    T parse(String value) throws InvalidOptionException {
        T parsed = (T) kind.parse(key, value);
        String expected = kind.expected(parsed);
        if (expected != null) {
            throw InvalidOptionException.invalidValue(key, value, expected);
        }
        return parsed;
    }

    /** Checks a typed value: a programming error when it is wrong, with the same message as a parse. */
    T checked(T value) {
        String expected = kind.expected(value);
        if (expected != null) {
            throw new IllegalArgumentException(InvalidOptionException.invalidValue(key,
                    value == null ? "null" : format(value), expected).getMessage());
        }
        return value;
    }

    /** The row with this key. */
    public static Optional<Option<?>> named(String key) {
        for (Option<?> o : ALL) {
            if (o.key.equals(key)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The keys of every row, comma separated. */
    public static String keys() {
        List<String> keys = new ArrayList<>();
        for (Option<?> o : ALL) {
            keys.add(o.key);
        }
        return String.join(", ", keys);
    }

    @Override
    public String toString() {
        return key;
    }

    private static Option<Duration> duration(String key, Duration defaultValue, String help) {
        return new Option<>(key, defaultValue, Kind.DURATION, false, help);
    }

    /** A file or directory opened at install: fixed from then on. */
    private static Option<Path> path(String key, String help) {
        return new Option<>(key, null, Kind.PATH, true, help);
    }

    private static int parseCount(String key, String value) throws InvalidOptionException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw InvalidOptionException.invalidValue(key, value, COUNT_EXPECTED);
        }
    }

    private static int parsePercent(String key, String value) throws InvalidOptionException {
        String digits = value.endsWith("%") ? value.substring(0, value.length() - 1) : value;
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw InvalidOptionException.invalidValue(key, value, PERCENT_EXPECTED);
        }
    }

    private static boolean parseBoolean(String key, String value) throws InvalidOptionException {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw InvalidOptionException.invalidValue(key, value, "true or false");
    }

    private static List<MethodPattern> parseEntries(String key, String value) throws InvalidOptionException {
        List<MethodPattern> list = new ArrayList<>();
        for (String part : value.split(";", -1)) {
            list.add(MethodPattern.parse(key, part));
        }
        return List.copyOf(list);
    }

    private static String formatEntries(List<MethodPattern> entries) {
        List<String> e = new ArrayList<>();
        for (MethodPattern p : entries) {
            e.add(p.toString());
        }
        return e.isEmpty() ? NONE : String.join(";", e);
    }

    private static Path parsePath(String key, String value) throws InvalidOptionException {
        if (value.isEmpty() || value.indexOf('\0') >= 0) {
            throw InvalidOptionException.invalidValue(key, value, "a file path");
        }
        try {
            return Path.of(value);
        } catch (RuntimeException e) {
            throw InvalidOptionException.invalidValue(key, value, "a file path");
        }
    }
}
