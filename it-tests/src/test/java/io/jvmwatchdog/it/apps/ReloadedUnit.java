package io.jvmwatchdog.it.apps;

/**
 * Defined afresh, in a class loader of its own, again and again by {@link ReentrancyApp}: each
 * definition is a class the agent instruments (the test names it with {@code entry=}), so the agent
 * transforms and, under {@code -Dwatchdog.debug=true}, logs on the application's thread, all the time.
 * Refers to nothing else of the application.
 */
public final class ReloadedUnit {

    private ReloadedUnit() {
    }

    /** The entry method: quick, so each call is a unit that ends at once. */
    public static long work(long seed) {
        return seed * 6364136223846793005L + 1442695040888963407L;
    }
}
