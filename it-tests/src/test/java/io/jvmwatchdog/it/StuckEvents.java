package io.jvmwatchdog.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Looking up offenders in the {@code stuck} events of an {@link EventsFile}. */
public final class StuckEvents {

    private StuckEvents() {
    }

    /** Waits for a {@code stuck} event naming a thread called {@code threadName}; returns that event. */
    public static Map<String, Object> awaitEventFor(EventsFile file, String threadName, Duration timeout,
                                                    JvmProcess child) {
        return file.await(e -> "stuck".equals(e.get("event")) && thread(e, threadName) != null, timeout, child);
    }

    /** Waits for a {@code stuck} event naming {@code threadName}; returns that thread's entry. */
    public static Map<String, Object> awaitThread(EventsFile file, String threadName, Duration timeout,
                                                  JvmProcess child) {
        return thread(awaitEventFor(file, threadName, timeout, child), threadName);
    }

    /**
     * Waits for a {@code stuck} event with a thread that {@code thread} accepts (for a thread whose
     * name the test cannot know, such as a server's worker); returns that thread.
     *
     * @param what what the thread is, for the failure message
     */
    public static Map<String, Object> awaitThread(EventsFile file, Predicate<Map<String, Object>> thread, String what,
                                                  Duration timeout, JvmProcess child) {
        try {
            Map<String, Object> event = file.await(e -> "stuck".equals(e.get("event"))
                    && EventsFile.threads(e).stream().anyMatch(thread), timeout, child);
            return EventsFile.threads(event).stream().filter(thread).findFirst().orElseThrow();
        } catch (AssertionError e) {
            throw new AssertionError("waiting for a stuck event for " + what + ": " + e.getMessage()); // no cause: the output once
        }
    }

    /** A thread of an event whose stack has a frame starting with {@code framePrefix}. */
    public static Predicate<Map<String, Object>> inFrame(String framePrefix) {
        return t -> EventsFile.stack(t).stream().anyMatch(f -> f.startsWith(framePrefix));
    }

    /** The names of all threads in all {@code stuck} events so far. */
    public static Set<Object> stuckThreadNames(EventsFile file) {
        Set<Object> names = new LinkedHashSet<>();
        file.events("stuck").forEach(e -> EventsFile.threads(e).forEach(t -> names.add(t.get("name"))));
        return names;
    }

    /** The event's thread called {@code name}, or null. */
    public static Map<String, Object> thread(Map<String, Object> event, String name) {
        for (Map<String, Object> t : EventsFile.threads(event)) {
            if (name.equals(t.get("name"))) {
                return t;
            }
        }
        return null;
    }

    /** A list of links ({@code chain} of a thread, {@code cycle} of a deadlock event). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> links(Map<String, Object> holder, String field) {
        Object v = holder.get(field);
        if (!(v instanceof List)) {
            throw new AssertionError("no " + field + " array in " + holder);
        }
        return (List<Map<String, Object>>) v;
    }

    /** The thread names of a list of links, in order. */
    public static List<Object> names(List<Map<String, Object>> links) {
        List<Object> names = new ArrayList<>();
        links.forEach(l -> names.add(l.get("name")));
        return names;
    }

    /** How many stuck events name {@code threadName}: each offender is in exactly one (under log). */
    public static long eventsNaming(EventsFile file, String threadName) {
        return file.events("stuck").stream().filter(e -> thread(e, threadName) != null).count();
    }
}
