package io.jvmwatchdog.core.watch;

/**
 * A source of monotonic nanoseconds. Only differences between two readings mean anything; compare
 * with {@code now - since >= timeout}, never against absolute deadlines (overflow-safe).
 */
@FunctionalInterface
public interface Ticker {
    long read();

    static Ticker system() {
        return System::nanoTime;
    }
}
