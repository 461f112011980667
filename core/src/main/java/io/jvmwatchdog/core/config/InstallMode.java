package io.jvmwatchdog.core.config;

import java.util.Locale;

/**
 * When a launch-time agent puts its instrumentation in place ({@code install=}); an attach installs
 * at once whatever it says. The three trade time to {@code main} against what is watched in the
 * first second of a launch; see the README's "Startup and class sharing".
 */
public enum InstallMode {
    /**
     * Everything before {@code main}, Byte Buddy included (about a second of CPU): the watchdog's
     * loop runs from {@code main}'s first instruction. The slowest start.
     */
    BEFORE_MAIN,
    /**
     * The default: before {@code main} only what needs no Byte Buddy (the blocking calls, woven by the
     * agent's own transformer); Byte Buddy is installed beside {@code main}, and an application
     * thread that loads a class a unit of work needs meanwhile waits for it. Nothing runs unwoven.
     */
    BESIDE_MAIN,
    /**
     * Nothing before {@code main} and nothing waits: work under way when the install ends is adopted
     * from one look at each stack.
     */
    BACKGROUND;

    static final String EXPECTED = "before-main, beside-main or background";

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
