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
                "watchdog: invalid value '" + quote(value) + "' for '" + quote(key) + "' (expected " + expected + ")");
    }

    static InvalidOptionException unknown(String key, String expectedKeys) {
        return new InvalidOptionException("watchdog: unknown option '" + quote(key) + "' (expected one of "
                + expectedKeys + ")");
    }

    /**
     * What the user typed, made safe for one line: control and line-separator characters are shown
     * as a backslash, a "u" and four hex digits, so no input can break the message over lines or into
     * the terminal.
     */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
