package io.jvmwatchdog.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The watchdog's configuration: an immutable value, one value per row of {@link Option#ALL}, built by
 * {@link Builder}. Every check lives in the rows, so a value is checked however it arrives: parsed
 * from a string ({@link ConfigSources}) or set through a typed builder method.
 */
public final class Options {

    private final Object[] values;

    private Options(Object[] values) {
        this.values = values.clone();
    }

    public static Options defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value of one option. */
    public <T> T get(Option<T> option) {
        @SuppressWarnings("unchecked") // stored only through set(Option<T>, T)
        T value = (T) values[option.index];
        return value;
    }

    /** Stuck threshold; zero disables stuck-thread checking. */
    public Duration timeout() {
        return get(Option.TIMEOUT);
    }

    public boolean stuckCheckEnabled() {
        return !timeout().isZero();
    }

    public Action action() {
        return get(Option.ACTION);
    }

    /** How often the loop looks: the configured period, else a quarter of the timeout. */
    public Duration period() {
        Duration period = get(Option.PERIOD);
        if (period != null) {
            return period;
        }
        Duration quarter = timeout().dividedBy(4);
        return quarter.compareTo(Option.MIN_PERIOD) < 0 ? Option.MIN_PERIOD : quarter;
    }

    public Duration startupTimeout() {
        return get(Option.STARTUP_TIMEOUT);
    }

    public Action startupAction() {
        return get(Option.STARTUP_ACTION);
    }

    /** The readiness method, if the application signals readiness through one. */
    public Optional<MethodPattern> ready() {
        return Optional.ofNullable(get(Option.READY));
    }

    public List<MethodPattern> entries() {
        return get(Option.ENTRY);
    }

    public Optional<Path> events() {
        return Optional.ofNullable(get(Option.EVENTS));
    }

    /** Where each incident's full report is also written, one new owner-only file per incident. */
    public Optional<Path> dumpDir() {
        return Optional.ofNullable(get(Option.DUMP_DIR));
    }

    /** When a launch-time agent puts its instrumentation in place ({@code install=}). */
    public InstallMode install() {
        return get(Option.INSTALL);
    }

    /**
     * Escalation: a thread stuck this long is interrupted, once per stuck episode (as Tomcat's
     * stuck-thread valve can); zero (the default) never interrupts.
     */
    public Duration interruptAfter() {
        return get(Option.INTERRUPT_AFTER);
    }

    /**
     * Escalation under {@code action=log}: once threads have been stuck this long (at least
     * {@link #panicMinThreads()} of them), panic as {@code action=panic} would; zero (the default) never.
     */
    public Duration panicAfter() {
        return get(Option.PANIC_AFTER);
    }

    /**
     * A panic ({@code action=panic}, or {@link #panicAfter()}) happens only when at least this many
     * threads are stuck in one pass, as Linux's {@code hung_task_panic} counts; fewer are reported as
     * under {@code action=log}. Default 1.
     */
    public int panicMinThreads() {
        return get(Option.PANIC_MIN_THREADS);
    }

    /**
     * If a graceful shutdown (the shutdown hooks) has not finished this long after it began, dump
     * every thread and halt; zero (the default) lets a shutdown take as long as it takes.
     */
    public Duration shutdownTimeout() {
        return get(Option.SHUTDOWN_TIMEOUT);
    }

    /**
     * The JVM is reported stalled ({@code jvm-stall}) when stop-the-world pauses took at least this
     * percentage of the last timeout; 0 turns the whole-JVM check off (the starved-watchdog part too).
     */
    public int stallThresholdPercent() {
        return get(Option.STALL_THRESHOLD);
    }

    /**
     * Whether a whole-JVM dump lists each thread's ownable synchronizers ({@code java.util.concurrent}
     * locks it holds), as {@code jstack -l} does. The JVM finds them by walking the whole heap inside
     * the dump's pause (about a second per 4 GB of live small objects), so it is off by default: the
     * holder of a lock a stuck thread waits on is named without it.
     */
    public boolean dumpSynchronizers() {
        return get(Option.DUMP_SYNCHRONIZERS);
    }

    /** A builder that starts from these values, as a reconfiguration does. */
    public Builder toBuilder() {
        Builder b = new Builder();
        System.arraycopy(values, 0, b.values, 0, values.length);
        return b;
    }

    /** The effective configuration in option syntax, every key present (defaults included). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Option<?> option : Option.ALL) {
            m.put(option.key(), shown(option));
        }
        return m;
    }

    private <T> String shown(Option<T> option) {
        // The period in force, which a timeout without a period decides.
        return option == Option.PERIOD ? Option.PERIOD.format(period()) : option.format(get(option));
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

    /**
     * Builds {@link Options}. {@link #set(Option, Object)} and the typed methods check the value
     * (an {@link IllegalArgumentException} saying what was expected); {@link #set(String, String)}
     * parses an operator's string and throws the one line to show them.
     */
    public static final class Builder {
        private final Object[] values = new Object[Option.ALL.size()];

        private Builder() {
            for (Option<?> option : Option.ALL) {
                values[option.index] = option.defaultValue();
            }
        }

        public <T> Builder set(Option<T> option, T value) {
            values[option.index] = option.checked(value);
            return this;
        }

        /** Sets one option from its string form, as the agent argument gives it. */
        public Builder set(String key, String value) throws InvalidOptionException {
            Optional<Option<?>> option = Option.named(key); // no lambda: this runs before main
            if (option.isEmpty()) {
                throw InvalidOptionException.unknown(key, Option.keys());
            }
            return parseInto(option.get(), value);
        }

        private <T> Builder parseInto(Option<T> option, String value) throws InvalidOptionException {
            values[option.index] = option.parse(value);
            return this;
        }

        public Builder timeout(Duration timeout) {
            return set(Option.TIMEOUT, timeout);
        }

        public Builder action(Action action) {
            return set(Option.ACTION, action);
        }

        public Builder period(Duration period) {
            return set(Option.PERIOD, period);
        }

        public Builder startupTimeout(Duration startupTimeout) {
            return set(Option.STARTUP_TIMEOUT, startupTimeout);
        }

        public Builder startupAction(Action startupAction) {
            return set(Option.STARTUP_ACTION, startupAction);
        }

        public Builder ready(MethodPattern ready) {
            return set(Option.READY, ready);
        }

        public Builder entries(List<MethodPattern> entries) {
            return set(Option.ENTRY, List.copyOf(entries));
        }

        public Builder events(Path events) {
            return set(Option.EVENTS, events);
        }

        public Builder dumpDir(Path dumpDir) {
            return set(Option.DUMP_DIR, dumpDir);
        }

        public Builder install(InstallMode install) {
            return set(Option.INSTALL, install);
        }

        public Builder interruptAfter(Duration interruptAfter) {
            return set(Option.INTERRUPT_AFTER, interruptAfter);
        }

        public Builder panicAfter(Duration panicAfter) {
            return set(Option.PANIC_AFTER, panicAfter);
        }

        public Builder panicMinThreads(int panicMinThreads) {
            return set(Option.PANIC_MIN_THREADS, panicMinThreads);
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            return set(Option.SHUTDOWN_TIMEOUT, shutdownTimeout);
        }

        public Builder dumpSynchronizers(boolean dumpSynchronizers) {
            return set(Option.DUMP_SYNCHRONIZERS, dumpSynchronizers);
        }

        public Options build() {
            return new Options(values);
        }
    }
}
