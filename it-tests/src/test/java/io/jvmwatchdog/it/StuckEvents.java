package io.jvmwatchdog.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
