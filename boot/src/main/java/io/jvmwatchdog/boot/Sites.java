package io.jvmwatchdog.boot;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Probe sites by number. Each woven method is a site: a name ({@code Class.method}, or a pool's run
 * loop) and, for a blocking call, its {@link Blocking} kind. The agent registers a site while it
 * weaves the method and puts the number in the woven code as a constant, so a transition stores an
 * {@code int}, never a reference: a reference store costs a GC write barrier on every transition,
 * and a number keeps nothing reachable. The watchdog turns numbers back into names when it samples.
 *
 * <p>Registration is rare (once per woven method) and locks; lookups do not, except for a number
 * registered so recently that the reader's view of the table predates it.
 */
public final class Sites {

    /** No site: outside any unit, or in no blocking call. */
    public static final int NONE = 0;
    /** The API's {@code Watchdog.section(name)}, whose name is given at run time, not weave time. */
    public static final int SECTION = 1;
    /** The largest site number: it fits the {@code char} a thread's state keeps it in. */
    public static final int MAX = Character.MAX_VALUE;
    /** The last number given to a name of its own; the rest are one shared site per {@link Blocking} kind. */
    static final int LAST_NAMED = MAX - Blocking.COUNT;
    /** The name of a shared site. */
    static final String UNNAMED = "(unnamed: more than 65,520 probe sites)";

    private static final Object LOCK = new Object();
    private static final Map<String, Integer> BY_KEY = new HashMap<>(); // guarded by LOCK
    private static int count; // guarded by LOCK
    // Grown by copying. A reader may see a table without the newest entries, and falls back to the
    // lock for them; entries are immutable (final fields), so a racy read of one is whole.
    private static volatile Site[] table = new Site[64];

    private static final class Site {
        final String name;
        final int kind;

        Site(String name, int kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    static {
        register("Watchdog.section", Blocking.NONE); // becomes SECTION
    }

    private Sites() {
    }

    /**
     * The number of a site, the same for the same name and kind every time. Numbers fit a {@code char}
     * (a thread's state stores them so, to stay small): past {@value #LAST_NAMED} names, which no
     * real program comes near (a site is a woven method), a new name gets its kind's shared site,
     * named {@value #UNNAMED}, so a report still says the kind and never a wrong name.
     *
     * @param kind a {@link Blocking} code for a blocking call, else {@link Blocking#NONE}
     */
    public static int register(String name, int kind) {
        String key = kind + " " + name;
        synchronized (LOCK) {
            Integer known = BY_KEY.get(key);
            if (known != null) {
                return known;
            }
            if (count >= LAST_NAMED) {
                int shared = LAST_NAMED + 1 + (kind > Blocking.NONE && kind < Blocking.COUNT ? kind : Blocking.NONE);
                if (site(shared) == null) {
                    put(shared, new Site(UNNAMED, kind));
                }
                return shared;
            }
            int id = ++count; // 0 is NONE
            put(id, new Site(name, kind));
            BY_KEY.put(key, id);
            return id;
        }
    }

    private static void put(int id, Site site) { // holds LOCK
        Site[] sites = table;
        if (id >= sites.length) {
            sites = Arrays.copyOf(sites, Math.max(sites.length * 2, id + 1));
        }
        sites[id] = site;
        table = sites; // publishes a grown table; for the same one, a volatile write orders the entry
    }

    private static Site site(int id) {
        if (id <= NONE) {
            return null;
        }
        Site[] sites = table;
        Site site = id < sites.length ? sites[id] : null;
        if (site != null) {
            return site;
        }
        synchronized (LOCK) {
            sites = table;
            return id < sites.length ? sites[id] : null;
        }
    }

    /** The site's name, or null for {@link #NONE} or a number never registered. */
    public static String name(int id) {
        Site site = site(id);
        return site == null ? null : site.name;
    }

    /** The site's {@link Blocking} kind; {@link Blocking#NONE} for an entry point or no site. */
    public static int kind(int id) {
        Site site = site(id);
        return site == null ? Blocking.NONE : site.kind;
    }
}
