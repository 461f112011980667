package io.jvmwatchdog.core.model;

/**
 * What a server's unit serves, as the advice recorded it: a request's method and path, or an
 * event-loop unit's subject (a channel, or a task's {@link Class}). Kept raw in a sample and put into
 * words only for a report, so the periodic pass formats nothing and calls no server code.
 */
public record UnitDetail(String method, String path, Object subject) {

    /** @return the detail, or null when the advice recorded nothing (no allocation then) */
    public static UnitDetail of(String method, String path, Object subject) {
        return method == null && path == null && subject == null ? null : new UnitDetail(method, path, subject);
    }

    /**
     * {@code request GET /path}, {@code channel [...]} or {@code task Class}. A channel's
     * {@code toString()} is the one piece of server code a report runs: the subjects stored are Netty
     * channels, whose description is built from cached fields without locks; anything it throws only
     * loses the detail.
     */
    public String describe() {
        if (method != null || path != null) {
            return "request " + (method == null ? "?" : method) + " " + (path == null ? "?" : path);
        }
        if (subject instanceof Class<?> task) {
            return "task " + className(task);
        }
        try {
            return "channel " + subject;
        } catch (RuntimeException | LinkageError e) {
            return "channel of " + className(subject.getClass());
        }
    }

    /** A lambda's hidden class is named after the class that wrote it: that part is what a reader needs. */
    private static String className(Class<?> c) {
        String name = c.getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda) + " (lambda)";
    }
}
