package io.jvmwatchdog.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The instrumentation's one-line messages ("could not instrument ..."), which may come before the
 * watchdog's reporter exists (the instrumentation is put in place first): kept until the reporter is
 * there, then handed to it, in order.
 */
final class EarlyLines implements Consumer<String> {

    private final List<String> kept = new ArrayList<>();
    private Consumer<String> target; // guarded by this

    @Override
    public void accept(String line) {
        Consumer<String> to;
        synchronized (this) {
            to = target;
            if (to == null) {
                kept.add(line);
                return;
            }
        }
        to.accept(line); // outside the lock: a class load may be what wrote the line
    }

    /** From now on lines go to {@code reporter}; those kept so far go first. */
    void forwardTo(Consumer<String> reporter) {
        List<String> earlier;
        synchronized (this) {
            earlier = new ArrayList<>(kept);
            kept.clear();
            target = reporter;
        }
        earlier.forEach(reporter);
    }
}
