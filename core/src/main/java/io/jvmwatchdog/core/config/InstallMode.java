package io.jvmwatchdog.core.config;

import java.util.Locale;

/**
 * When a launch-time agent puts its instrumentation in place ({@code install=}); an attach installs
 * at once whatever it says. They trade the cost of a launch against what is watched in its first
 * second (or, {@link #AFTER_START}, its whole start); see the README's "Startup and class sharing".
 */
public enum InstallMode {
    /**
     * Everything before {@code main}, the watchdog included (about 0.2 s here): its loop runs from
     * {@code main}'s first instruction. The slowest start.
     */
    BEFORE_MAIN,
    /**
     * The default: before {@code main} only the weaver (registered, and the classes already loaded
     * woven), so that every class a row names is woven as it loads and nothing runs unwoven; the
     * watchdog is made beside {@code main}.
     */
    BESIDE_MAIN,
    /**
     * Nothing before {@code main}, even the weaver beside it: work under way when the install ends is
     * adopted from one look at each stack.
     */
    BACKGROUND,
    /**
     * Nothing during the application's start: the whole install once it settles (class loading
     * quiet for half a second, or one period after {@code main} at most), as an attach then would,
     * work under way adopted from one look at each stack. The start pays no transformer, which the
     * JVM charges for every class that loads (2-5 % of a framework's start, 10-15 % with class
     * sharing), and none of the agent's work; what the start itself does is watched only from then.
     */
    AFTER_START;

    static final String EXPECTED = "before-main, beside-main, background or after-start";

    static InstallMode parse(String key, String value) throws InvalidOptionException {
        for (InstallMode mode : values()) {
            if (mode.optionValue().equals(value)) {
                return mode;
            }
        }
        throw InvalidOptionException.invalidValue(key, value, EXPECTED);
    }

    /** The spelling used in options. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
