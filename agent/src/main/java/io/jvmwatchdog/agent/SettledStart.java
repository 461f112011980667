package io.jvmwatchdog.agent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * When a launch makes its watchdog ({@code install=beside-main}), or its whole install ({@code
 * install=after-start}): once the application's start has settled, not while it runs. Making the watchdog (logging, the model, the management beans, the
 * loop) is about 0.3 s of CPU, most of it the JIT on code run once; on two cores, beside a
 * framework's start, that was 10-30 % more time to "started". Nothing is lost by waiting: the
 * probes are woven before {@code main} and count every transition from the start, and a stuck
 * thread is timed from the first pass that sees it, which the loop made one period after it began
 * anyway. So the watchdog is made at the first of:
 * <ul>
 *   <li>the start settled: fewer than {@link #QUIET_LOADS} classes loaded in the last 0.5 s (class
 *       loading is what a start is made of; the weaver sees each load for nothing, and without a
 *       weaver the JVM's list of loaded classes is counted);</li>
 *   <li>its first pass is due: one period after {@code main} began (a start that never goes
 *       quiet gets its watchdog when it would have made its first look);</li>
 *   <li>so many threads started that their ended states should be released (the loop does that:
 *       a JVM starting 100,000 virtual threads a second must not wait a period);</li>
 *   <li>someone needs it now: the JVM shuts down, or an attach would reconfigure it ({@link #hurry}).</li>
 * </ul>
 * Its loop then makes its first pass at once ({@link io.jvmwatchdog.core.watch.Watchdog#startWithPassNow}).
 * {@link #look} is the decision, on the caller's clock; {@link #await} the waiting thread's loop.
 */
final class SettledStart {

    /** What the wait watches, and what the waiting thread does meanwhile. */
    interface Start {
        /** A count that grows as classes load (the loads a weaver saw, or changes in the loaded classes). */
        int classLoads();

        /** Whether ended threads' states are due to be released ({@link io.jvmwatchdog.boot.ThreadStates#purgeDue}). */
        boolean purgeDue();

        /** What the waiting thread does about once a tick (the weaver's look, when one is due). */
        void eachTick();
    }

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long class loading must stay quiet. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Fewer class loads than this in the window is a settled start (a framework's start loads thousands a second). */
    static final int QUIET_LOADS = 25;

    /** Why the watchdog is made now (said in the debug line on the install). */
    enum Reason {
        SETTLED("the application's start settled"),
        FIRST_PASS_DUE("its first pass was due"),
        THREADS_STARTED("many threads started"),
        ASKED("the JVM shuts down or an attach reconfigures");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static volatile boolean hurried;
    private static volatile Thread waiter;

    private final long boundNanos;
    /** When the current quiet window began (on the caller's clock; negative: none yet), and the loads then. */
    private long windowStartNanos = -1;
    private int windowStartLoads;

    /** @param boundNanos the longest wait: the watchdog's period */
    SettledStart(long boundNanos) {
        this.boundNanos = boundNanos;
    }

    /**
     * One look, about once a tick. Quiet is measured on the clock, not in looks: a look that comes
     * early (a wakeup before the tick) shortens nothing. A window begins again whenever
     * {@link #QUIET_LOADS} classes loaded since it began.
     *
     * @param elapsedNanos since the wait began
     * @param classLoads the loads the weaver has seen so far
     * @return why to make the watchdog now, or null to wait on
     */
    Reason look(long elapsedNanos, int classLoads, boolean purgeDue, boolean asked) {
        if (asked) {
            return Reason.ASKED;
        }
        if (purgeDue) {
            return Reason.THREADS_STARTED;
        }
        if (elapsedNanos >= boundNanos) {
            return Reason.FIRST_PASS_DUE;
        }
        if (windowStartNanos < 0 || classLoads - windowStartLoads >= QUIET_LOADS) {
            windowStartNanos = elapsedNanos;
            windowStartLoads = classLoads;
            return null;
        }
        return elapsedNanos - windowStartNanos >= WINDOW_NANOS ? Reason.SETTLED : null;
    }

    /** Waits, on the install thread, until the watchdog (or the whole install) should be made. */
    static Reason await(Start watched, long boundNanos) {
        waiter = Thread.currentThread();
        SettledStart start = new SettledStart(boundNanos);
        long began = System.nanoTime();
        while (true) {
            Reason reason = start.look(System.nanoTime() - began, watched.classLoads(), watched.purgeDue(), hurried);
            if (reason != null) {
                waiter = null;
                return reason;
            }
            watched.eachTick();
            Thread.interrupted(); // the agent's own thread: an interrupt must not turn the park into a spin
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** The watchdog is needed now (the JVM shuts down, an attach): a waiting install goes on at once. */
    static void hurry() {
        hurried = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
