package io.jvmwatchdog.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The watchdog's configuration: an immutable value built by {@link Builder}. The agent argument
 * string ({@code timeout=3m,action=panic}) is parsed by calling the same builder methods, so every
 * check lives in one place. Key = builder method = README row.
 */
public final class Options {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    static final String INSTALL_BEFORE_MAIN = "before-main";
    static final String INSTALL_BACKGROUND = "background";
    /** Below this the loop would spin; nobody needs a finer period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);

    private final Duration timeout;
    private final Action action;
    private final Duration period;
    private final Duration startupTimeout;
    private final Action startupAction;
    private final MethodPattern ready;
    private final List<MethodPattern> entries;
    private final Path events;
    private final Path dumpDir;
    private final boolean installInBackground;
    private final Duration interruptAfter;
    private final Duration panicAfter;
    private final int panicMinThreads;
    private final Duration shutdownTimeout;
    private final boolean dumpSynchronizers;

    private Options(Builder b) {
        this.timeout = b.timeout;
        this.action = b.action;
        this.period = b.period;
        this.startupTimeout = b.startupTimeout;
        this.startupAction = b.startupAction;
        this.ready = b.ready;
        this.entries = List.copyOf(b.entries);
        this.events = b.events;
        this.dumpDir = b.dumpDir;
        this.installInBackground = b.installInBackground;
        this.interruptAfter = b.interruptAfter;
        this.panicAfter = b.panicAfter;
        this.panicMinThreads = b.panicMinThreads;
        this.shutdownTimeout = b.shutdownTimeout;
        this.dumpSynchronizers = b.dumpSynchronizers;
    }

    public static Options defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses the agent argument string: comma-separated {@code key=value}; null or blank means all
     * defaults. Only the argument (and a {@code config=} file it names): {@link ConfigSources#resolve(String)}
     * adds this JVM's system properties and environment.
     *
     * @throws InvalidOptionException with the one line to show the user
     */
    public static Options parse(String agentArgs) throws InvalidOptionException {
        return ConfigSources.resolve(agentArgs, Map.of(), Map.of()).options();
    }

    /**
     * The agent argument string as keys and values, checked for form, unknown keys and repeats.
     *
     * @param allowConfig whether {@code config=<file>} may be among them
     */
    static Map<String, String> parseArguments(String agentArgs, boolean allowConfig) throws InvalidOptionException {
        Map<String, String> values = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return values;
        }
        for (String item : agentArgs.split(",", -1)) {
            String trimmed = item.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new InvalidOptionException("watchdog: invalid option '" + InvalidOptionException.quote(trimmed)
                        + "' (expected key=value, with keys " + Builder.knownKeys() + ")");
            }
            String key = trimmed.substring(0, eq).trim();
            String value = trimmed.substring(eq + 1).trim();
            if (!Builder.KEYS.contains(key) && !(allowConfig && key.equals(ConfigSources.CONFIG_KEY))) {
                throw Builder.unknown(key);
            }
            if (values.put(key, value) != null) {
                throw new InvalidOptionException("watchdog: option '" + InvalidOptionException.quote(key)
                        + "' is given twice (expected each key once)");
            }
        }
        return values;
    }

    /** Stuck threshold; zero disables stuck-thread checking. */
    public Duration timeout() {
        return timeout;
    }

    public boolean stuckCheckEnabled() {
        return !timeout.isZero();
    }

    public Action action() {
        return action;
    }

    /** How often the loop looks: the configured period, else a quarter of the timeout. */
    public Duration period() {
        if (period != null) {
            return period;
        }
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : quarter;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Action startupAction() {
        return startupAction;
    }

    /** The readiness method, if the application signals readiness through one. */
    public Optional<MethodPattern> ready() {
        return Optional.ofNullable(ready);
    }

    public List<MethodPattern> entries() {
        return entries;
    }

    public Optional<Path> events() {
        return Optional.ofNullable(events);
    }

    /** Where each incident's full report is also written, one new owner-only file per incident. */
    public Optional<Path> dumpDir() {
        return Optional.ofNullable(dumpDir);
    }

    /**
     * Whether a launch-time agent installs its instrumentation on a background thread, off the path
     * to {@code main}, leaving a window in which work that begins is not watched ({@code
     * install=background}), rather than before {@code main} (the default).
     */
    public boolean installInBackground() {
        return installInBackground;
    }

    /**
     * Escalation: a thread stuck this long is interrupted, once per stuck episode (as Tomcat's
     * stuck-thread valve can); zero (the default) never interrupts.
     */
    public Duration interruptAfter() {
        return interruptAfter;
    }

    /**
     * Escalation under {@code action=log}: once threads have been stuck this long (at least
     * {@link #panicMinThreads()} of them), panic as {@code action=panic} would; zero (the default) never.
     */
    public Duration panicAfter() {
        return panicAfter;
    }

    /**
     * A panic ({@code action=panic}, or {@link #panicAfter()}) happens only when at least this many
     * threads are stuck in one pass, as Linux's {@code hung_task_panic} counts; fewer are reported as
     * under {@code action=log}. Default 1.
     */
    public int panicMinThreads() {
        return panicMinThreads;
    }

    /**
     * If a graceful shutdown (the shutdown hooks) has not finished this long after it began, dump
     * every thread and halt; zero (the default) lets a shutdown take as long as it takes.
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Whether a whole-JVM dump lists each thread's ownable synchronizers ({@code java.util.concurrent}
     * locks it holds), as {@code jstack -l} does. The JVM finds them by walking the whole heap inside
     * the dump's pause (about a second per 4 GB of live small objects), so it is off by default: the
     * holder of a lock a stuck thread waits on is named without it.
     */
    public boolean dumpSynchronizers() {
        return dumpSynchronizers;
    }

    /** A copy with another timeout and action, as a reconfiguration keeps instrumentation. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeout = timeout;
        b.action = action;
        b.period = period;
        b.startupTimeout = startupTimeout;
        b.startupAction = startupAction;
        b.ready = ready;
        b.entries.addAll(entries);
        b.events = events;
        b.dumpDir = dumpDir;
        b.installInBackground = installInBackground;
        b.interruptAfter = interruptAfter;
        b.panicAfter = panicAfter;
        b.panicMinThreads = panicMinThreads;
        b.shutdownTimeout = shutdownTimeout;
        b.dumpSynchronizers = dumpSynchronizers;
        return b;
    }

    /** The effective configuration in option syntax, every key present (defaults included). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("timeout", Durations.toOption(timeout));
        m.put("action", action.optionValue());
        m.put("period", Durations.toOption(period()));
        m.put("startup-timeout", Durations.toOption(startupTimeout));
        m.put("startup-action", startupAction.optionValue());
        m.put("ready", ready == null ? "none" : ready.toString());
        List<String> e = new ArrayList<>();
        entries.forEach(p -> e.add(p.toString()));
        m.put("entry", e.isEmpty() ? "none" : String.join(";", e));
        m.put("events", events == null ? "none" : events.toString());
        m.put("dump-dir", dumpDir == null ? "none" : dumpDir.toString());
        m.put("install", installInBackground ? INSTALL_BACKGROUND : INSTALL_BEFORE_MAIN);
        m.put("interrupt-after", Durations.toOption(interruptAfter));
        m.put("panic-after", Durations.toOption(panicAfter));
        m.put("panic-min-threads", Integer.toString(panicMinThreads));
        m.put("shutdown-timeout", Durations.toOption(shutdownTimeout));
        m.put("dump-synchronizers", Boolean.toString(dumpSynchronizers));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        describe().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Builds {@link Options}; each method is one option key, with its check. */
    public static final class Builder {
        static final List<String> KEYS = List.of(
                "timeout", "action", "period", "startup-timeout", "startup-action", "ready", "entry", "events",
                "dump-dir", "install", "interrupt-after", "panic-after", "panic-min-threads",
                "shutdown-timeout", "dump-synchronizers");

        private Duration timeout = DEFAULT_TIMEOUT;
        private Action action = Action.LOG;
        private Duration period;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Action startupAction = Action.LOG;
        private MethodPattern ready;
        private final List<MethodPattern> entries = new ArrayList<>();
        private Path events;
        private Path dumpDir;
        private boolean installInBackground;
        private Duration interruptAfter = Duration.ZERO;
        private Duration panicAfter = Duration.ZERO;
        private int panicMinThreads = 1;
        private Duration shutdownTimeout = Duration.ZERO;
        private boolean dumpSynchronizers;

        private Builder() {
        }

        /** Sets one option from its string form, as the agent argument gives it. */
        public Builder set(String key, String value) throws InvalidOptionException {
            switch (key) {
                case "timeout": return timeout(Durations.parse(key, value));
                case "action": return action(Action.parse(key, value));
                case "period": return period(positive(key, value, Durations.parse(key, value)));
                case "startup-timeout": return startupTimeout(Durations.parse(key, value));
                case "startup-action": return startupAction(Action.parse(key, value));
                case "ready": return ready(MethodPattern.parse(key, value));
                case "entry": return entries(parseEntries(key, value));
                case "events": return events(parsePath(key, value));
                case "dump-dir": return dumpDir(parsePath(key, value));
                case "install": return installInBackground(parseInstall(key, value));
                case "interrupt-after": return interruptAfter(Durations.parse(key, value));
                case "panic-after": return panicAfter(Durations.parse(key, value));
                case "panic-min-threads": return panicMinThreads(parseCount(key, value));
                case "shutdown-timeout": return shutdownTimeout(Durations.parse(key, value));
                case "dump-synchronizers": return dumpSynchronizers(parseBoolean(key, value));
                default:
                    throw unknown(key);
            }
        }

        static InvalidOptionException unknown(String key) {
            return new InvalidOptionException("watchdog: unknown option '" + InvalidOptionException.quote(key)
                    + "' (expected one of " + knownKeys() + ")");
        }

        /** Every key an agent argument may have: the options, and config. */
        static String knownKeys() {
            return String.join(", ", KEYS) + ", " + ConfigSources.CONFIG_KEY;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder action(Action action) {
            this.action = action;
            return this;
        }

        public Builder period(Duration period) {
            this.period = period;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public Builder startupAction(Action startupAction) {
            this.startupAction = startupAction;
            return this;
        }

        public Builder ready(MethodPattern ready) {
            this.ready = ready;
            return this;
        }

        public Builder entries(List<MethodPattern> entries) {
            this.entries.clear();
            this.entries.addAll(entries);
            return this;
        }

        public Builder events(Path events) {
            this.events = events;
            return this;
        }

        public Builder dumpDir(Path dumpDir) {
            this.dumpDir = dumpDir;
            return this;
        }

        public Builder installInBackground(boolean installInBackground) {
            this.installInBackground = installInBackground;
            return this;
        }

        public Builder interruptAfter(Duration interruptAfter) {
            this.interruptAfter = interruptAfter;
            return this;
        }

        public Builder panicAfter(Duration panicAfter) {
            this.panicAfter = panicAfter;
            return this;
        }

        public Builder panicMinThreads(int panicMinThreads) {
            this.panicMinThreads = panicMinThreads;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder dumpSynchronizers(boolean dumpSynchronizers) {
            this.dumpSynchronizers = dumpSynchronizers;
            return this;
        }

        public Options build() {
            return new Options(this);
        }

        private static Duration positive(String key, String value, Duration d) throws InvalidOptionException {
            if (d.compareTo(MIN_PERIOD) < 0) {
                throw InvalidOptionException.invalidValue(key, value, "a duration of at least 10ms");
            }
            return d;
        }

        private static int parseCount(String key, String value) throws InvalidOptionException {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw InvalidOptionException.invalidValue(key, value, "a whole number of threads, at least 1");
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
            return list;
        }

        private static boolean parseInstall(String key, String value) throws InvalidOptionException {
            if (value.equals(INSTALL_BACKGROUND)) {
                return true;
            }
            if (value.equals(INSTALL_BEFORE_MAIN)) {
                return false;
            }
            throw InvalidOptionException.invalidValue(key, value, INSTALL_BEFORE_MAIN + " or " + INSTALL_BACKGROUND);
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
}
