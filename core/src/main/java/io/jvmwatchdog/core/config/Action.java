package io.jvmwatchdog.core.config;

import java.util.Locale;

/** What the watchdog does when it finds a stuck thread (or a missed startup deadline). */
public enum Action {
    /** A warning with the offenders, plus a full thread dump at most once a minute for the same ones. */
    LOG,
    /** Write everything, flush with a bounded wait, then halt the JVM with {@link #PANIC_EXIT_STATUS}. */
    PANIC;

    /** Exit status of a JVM halted by the watchdog (EX_SOFTWARE in sysexits.h). */
    public static final int PANIC_EXIT_STATUS = 70;

    static final String EXPECTED = "log, logwarning or panic";

    /** Parses the seed's spellings, case-insensitively: {@code log}, {@code logwarning}, {@code panic}. */
    static Action parse(String key, String value) throws InvalidOptionException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "log":
            case "logwarning":
                return LOG;
            case "panic":
                return PANIC;
            default:
                throw InvalidOptionException.invalidValue(key, value, EXPECTED);
        }
    }

    /** The spelling used in options and events. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
