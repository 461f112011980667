package io.jvmwatchdog.boot;

/**
 * The static entry points that advice calls. Each one records a transition of the calling thread.
 *
 * <p>Every method here runs on an application thread, inside whatever JDK or application method the
 * advice was woven into: it must not lock, allocate (after the thread's first call), read the clock,
 * log, or throw. Exits tolerate a missing entry (an agent attached while the thread was already
 * inside the method): depths never go below zero.
 */
public final class Probes {

    private static volatile Runnable readyListener;
    private static volatile boolean readySignalled;

    private Probes() {
    }

    /** Enters an executor task or another unit of work judged by the default rule. */
    public static void enterTask(String entry) {
        ThreadState state = ThreadStates.current();
        if (state.spanDepth++ == 0) {
            state.taskEntry = entry;
        }
        state.transitions++;
    }

    public static void exitTask() {
        ThreadState state = ThreadStates.current();
        if (state.spanDepth > 0) {
            state.spanDepth--;
        }
        state.transitions++;
    }

    /** Enters an entry= method or an API section: any one state past the timeout is stuck. */
    public static void enterBudgeted(String entry) {
        ThreadState state = ThreadStates.current();
        state.spanDepth++;
        if (state.budgetedDepth++ == 0) {
            state.budgetedEntry = entry;
        }
        state.transitions++;
    }

    public static void exitBudgeted() {
        ThreadState state = ThreadStates.current();
        if (state.budgetedDepth > 0) {
            state.budgetedDepth--;
            if (state.spanDepth > 0) {
                state.spanDepth--;
            }
        }
        state.transitions++;
    }

    /** A pool worker starts waiting for its next job: it is idle, not stuck, until {@link #idleEnd()}. */
    public static void idleBegin() {
        ThreadState state = ThreadStates.current();
        state.idleDepth++;
        state.transitions++;
    }

    public static void idleEnd() {
        ThreadState state = ThreadStates.current();
        if (state.idleDepth > 0) {
            state.idleDepth--;
        }
        state.transitions++;
    }

    /** Long legitimate work says it is still making progress. */
    public static void pet() {
        ThreadStates.current().transitions++;
    }

    /** The application signals that startup is complete. Only the first call counts. */
    public static void ready() {
        if (readySignalled) {
            return;
        }
        readySignalled = true;
        Runnable listener = readyListener;
        if (listener != null) {
            try {
                listener.run();
            } catch (Throwable ignored) {
                // The listener only flags and unparks; nothing may reach the application.
            }
        }
    }

    public static boolean isReadySignalled() {
        return readySignalled;
    }

    /**
     * Sets what {@link #ready()} calls. It runs on an application thread and must not block.
     * Callers check {@link #isReadySignalled()} afterwards, for a signal that came first.
     */
    public static void setReadyListener(Runnable listener) {
        readyListener = listener;
    }
}
