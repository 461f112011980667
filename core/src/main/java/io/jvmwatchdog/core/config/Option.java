package io.jvmwatchdog.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One option of the agent, and {@link #ALL} of them: everything the agent knows about an option is
 * its row. The builder's checks, {@link Options#describe()}, the sources' key lists, the CLI's help,
 * what a later attach may not change, and the README's options table (checked by a test) all come
 * from these rows. Adding an option is a row here and a typed getter in {@link Options}.
 *
 * @param <T> the option's type once parsed
 */
public final class Option<T> {

    /** Turns what an operator wrote into a value, or throws the one line that says why not. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String key, String value) throws InvalidOptionException;
    }

    /** What a value must be, beyond its type: {@code null} when it is fine, else what was expected. */
    @FunctionalInterface
    interface Check<T> {
        String expected(T value);
    }

    /** Below this the loop would spin; nobody needs a finer period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);
    private static final String NONE = "none";
    private static final String PERCENT_EXPECTED = "a percentage from 0 to 100, such as 50%";
    private static final String COUNT_EXPECTED = "a whole number of threads, at least 1";

    private static final List<Option<?>> ROWS = new ArrayList<>();

    public static final Option<Duration> TIMEOUT = duration("timeout", Duration.ofMinutes(3),
            "stuck threshold; 0 disables stuck-thread checking");
    public static final Option<Action> ACTION = new Option<>("action", Action.LOG, Action::parse, Action::optionValue,
            notNull(Action.EXPECTED), false, "log (also logwarning) or panic");
    /** Null: a quarter of the timeout, at least {@link #MIN_PERIOD}. */
    public static final Option<Duration> PERIOD = new Option<>("period", null, Durations::parse, Durations::toOption,
            d -> d == null || d.compareTo(MIN_PERIOD) >= 0 ? null : "a duration of at least 10ms", false,
            "how often the loop looks, at least 10ms");
    public static final Option<Duration> STARTUP_TIMEOUT = duration("startup-timeout", Duration.ofSeconds(30),
            "with ready: how long startup may take; 0 disables");
    public static final Option<Action> STARTUP_ACTION = new Option<>("startup-action", Action.LOG, Action::parse,
            Action::optionValue, notNull(Action.EXPECTED), false, "as action, for the startup check");
    public static final Option<MethodPattern> READY = new Option<>("ready", null, MethodPattern::parse,
            p -> p == null ? NONE : p.toString(), p -> null, true,
            "Class#method whose first normal return marks startup complete");
    public static final Option<List<MethodPattern>> ENTRY = new Option<>("entry", List.of(), Option::parseEntries,
            Option::formatEntries, l -> l == null ? MethodPattern.EXPECTED : null, true,
            "extra watched entry points: Class#method or Class#*, separated by ;");
    public static final Option<Path> EVENTS = path("events", "a JSON-lines file of events, appended to");
    public static final Option<Path> DUMP_DIR = path("dump-dir",
            "a directory where each incident's full report is also written");
    public static final Option<InstallMode> INSTALL = new Option<>("install", InstallMode.BESIDE_MAIN, InstallMode::parse,
            InstallMode::optionValue, notNull(InstallMode.EXPECTED), false,
            "before-main (all first), beside-main (nothing unwoven) or background (no wait)");
    public static final Option<Duration> INTERRUPT_AFTER = duration("interrupt-after", Duration.ZERO,
            "interrupt a thread stuck this long, once per episode; 0 never");
    public static final Option<Duration> PANIC_AFTER = duration("panic-after", Duration.ZERO,
            "under action=log, panic once threads are stuck this long; 0 never");
    public static final Option<Integer> PANIC_MIN_THREADS = new Option<>("panic-min-threads", 1, Option::parseCount,
            String::valueOf, n -> n != null && n >= 1 ? null : COUNT_EXPECTED, false,
            "panic only when at least this many threads are stuck in one pass");
    public static final Option<Duration> SHUTDOWN_TIMEOUT = duration("shutdown-timeout", Duration.ZERO,
            "dump and halt if a graceful shutdown lasts longer; 0 no limit");
    public static final Option<Integer> STALL_THRESHOLD = new Option<>("stall-threshold", 50, Option::parsePercent,
            p -> p + "%", p -> p != null && p >= 0 && p <= 100 ? null : PERCENT_EXPECTED, false,
            "report the JVM stalled (jvm-stall) when stopped this share of a timeout; 0 off");
    public static final Option<Boolean> DUMP_SYNCHRONIZERS = new Option<>("dump-synchronizers", false,
            Option::parseBoolean, String::valueOf, notNull("true or false"), false,
            "list the locks each thread holds in a dump (walks the heap)");

    /** Every option, in the order they are described. */
    public static final List<Option<?>> ALL = List.copyOf(ROWS);

    private final String key;
    private final T defaultValue;
    private final Parser<T> parser;
    private final Function<T, String> format;
    private final Check<T> check;
    private final boolean fixedAtInstall;
    private final String help;
    final int index;

    private Option(String key, T defaultValue, Parser<T> parser, Function<T, String> format, Check<T> check,
                   boolean fixedAtInstall, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.format = format;
        this.check = check;
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
        return format.apply(value);
    }

    /** The default in option syntax, as the README's table gives it. */
    public String defaultText() {
        return this == PERIOD ? "timeout/4" : format(defaultValue);
    }

    /** Parses and checks the string form. */
    T parse(String value) throws InvalidOptionException {
        T parsed = parser.parse(key, value);
        String expected = check.expected(parsed);
        if (expected != null) {
            throw InvalidOptionException.invalidValue(key, value, expected);
        }
        return parsed;
    }

    /** Checks a typed value: a programming error when it is wrong, with the same message as a parse. */
    T checked(T value) {
        String expected = check.expected(value);
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
        ALL.forEach(o -> keys.add(o.key));
        return String.join(", ", keys);
    }

    @Override
    public String toString() {
        return key;
    }

    private static Option<Duration> duration(String key, Duration defaultValue, String help) {
        return new Option<>(key, defaultValue, Durations::parse, Durations::toOption,
                d -> d != null && !d.isNegative() ? null : Durations.EXPECTED, false, help);
    }

    /** A file or directory opened at install: fixed from then on. */
    private static Option<Path> path(String key, String help) {
        return new Option<>(key, null, Option::parsePath, p -> p == null ? NONE : p.toString(), p -> null, true, help);
    }

    private static <T> Check<T> notNull(String expected) {
        return v -> v == null ? expected : null;
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
        entries.forEach(p -> e.add(p.toString()));
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
