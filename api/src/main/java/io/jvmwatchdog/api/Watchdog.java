package io.jvmwatchdog.api;

/**
 * What an application may tell the JVM Watchdog. Every method is a no-op without the agent, so a
 * library can call them unconditionally; with the agent attached they are woven to the watchdog.
 *
 * <pre>{@code
 * Watchdog.ready();                                  // startup is complete (with the ready option)
 * try (Watchdog.Section s = Watchdog.section("nightly-import")) {
 *     ...                                            // any one state past the timeout is stuck
 *     Watchdog.pet();                                // long legitimate work: "still going"
 * }
 * }</pre>
 *
 * Nothing here allocates or blocks.
 */
public final class Watchdog {

    private Watchdog() {
    }

    /** Signals that startup is complete; only the first call counts. */
    public static void ready() {
        // Woven by the agent.
    }

    /**
     * Enters a watched section, judged like an {@code entry=} method: a thread that stays in any one
     * state (running, waiting, blocked) longer than the timeout inside it is stuck. Close the returned
     * section exactly once, on the same thread, ideally with try-with-resources.
     *
     * @param name how reports name the section; keep it a constant
     */
    public static Section section(String name) {
        return Section.INSTANCE;
    }

    /** Records progress of the calling thread, for long work that is legitimately busy. */
    public static void pet() {
        // Woven by the agent.
    }

    /** A watched section; {@link #close()} leaves it. One shared instance: nothing is allocated. */
    public static final class Section implements AutoCloseable {
        static final Section INSTANCE = new Section();

        private Section() {
        }

        @Override
        public void close() {
            // Woven by the agent.
        }
    }
}
