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
     * {@code request GET /path}, {@code channel [...]} or {@code task Class}. The path is the one place
     * a request's own data reaches a report, so it is said without its parameters
     * ({@link #withoutParameters}): the servers record it raw, off the hot path's concern. A channel's
     * {@code toString()} is the one piece of server code a report runs: the subjects stored are Netty
     * channels, whose description is built from cached fields without locks; anything it throws only
     * loses the detail.
     */
    public String describe() {
        if (method != null || path != null) {
            return "request " + (method == null ? "?" : method) + " " + (path == null ? "?" : withoutParameters(path));
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

    /**
     * A request path without what may carry a secret: the query string, and every path parameter
     * (RFC 3986 segment parameters: {@code /cart;jsessionid=0A1B/items;v=2} is said {@code /cart/items}),
     * where servlet containers carry the session id when cookies are off. Servers hand over the path
     * without the query; some keep the parameters (Tomcat's and the servlet API's request URI do).
     */
    static String withoutParameters(String path) {
        int query = path.indexOf('?');
        String p = query < 0 ? path : path.substring(0, query);
        if (p.indexOf(';') < 0) {
            return p;
        }
        StringBuilder sb = new StringBuilder(p.length());
        boolean inParameter = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == ';') {
                inParameter = true;
            } else if (c == '/') {
                inParameter = false;
            }
            if (!inParameter) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A lambda's hidden class is named after the class that wrote it: that part is what a reader needs. */
    private static String className(Class<?> c) {
        String name = c.getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda) + " (lambda)";
    }
}
