package io.jvmwatchdog.core.config;

/**
 * A bad option. The message is the one line a user sees: it names the option, the value received
 * and what was expected, and carries no stack trace when printed by the agent or the CLI.
 */
public final class InvalidOptionException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message, null, false, false);
    }

    static InvalidOptionException invalidValue(String key, String value, String expected) {
        return new InvalidOptionException(
                "watchdog: invalid value '" + value + "' for '" + key + "' (expected " + expected + ")");
    }
}
