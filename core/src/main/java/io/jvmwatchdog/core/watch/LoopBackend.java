package io.jvmwatchdog.core.watch;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where the watchdog's loops run. Production: {@link ThreadBackend}, real daemon threads. Tests: a
 * backend that runs nothing by itself, so a test drives {@link Watchdog#runPass()} by hand on a fake
 * ticker.
 */
public interface LoopBackend {

    /** Starts {@code body} on a named agent thread; the body returns once {@link Loop#stopRequested()}. */
    Loop start(String name, Consumer<Loop> body);

    /**
     * Runs {@code call} and returns its result (the seed's "watch the watchdog"). Each time
     * {@code deadlineNanos} passes without a result, {@code onOverrun} says whether the time is
     * explained (the JVM was paused meanwhile: wait one more deadline) or not (it has reported the
     * overrun: wait on without a deadline).
     *
     * @return the result, or null if the waiting thread was interrupted (the loop is stopping)
     */
    <T> T callWithDeadline(Supplier<T> call, long deadlineNanos, BooleanSupplier onOverrun);

    /** Runs {@code task}, waiting at most {@code boundNanos} for it; true if it finished in time. */
    boolean runBounded(String name, Runnable task, long boundNanos);

    /** A running loop, as its body and its owner see it. */
    interface Loop {
        boolean stopRequested();

        /** Sleeps up to {@code nanos}; returns early on {@link #wake()} or {@link #stop(long)}. */
        void sleepNanos(long nanos);

        void wake();

        /** Requests a stop and waits at most {@code boundMillis} for the body to return. */
        void stop(long boundMillis);
    }
}
