package io.jvmwatchdog.core.jvm;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's own stop-the-world time. Every call the agent makes that stops the world (a slice of a
 * whole-JVM thread dump, other threads' stacks, a deadlock search) runs through
 * {@link #measure}, which counts its wall time: the pause is part of the call, so this is an upper
 * bound of it (the call also builds the JVM's answer after the pause ends).
 *
 * <p>Three uses:
 * <ul>
 *   <li>a counter, in JMX and in {@code status};</li>
 *   <li>a discount: while the agent holds the world stopped nobody can make progress, so the loop takes
 *       the time off every tracked thread, as it does a collection ({@link #takeUndiscountedNanos});</li>
 *   <li>a budget of {@link #BUDGET_NANOS} in any {@link #WINDOW_NANOS}: 1 % of wall time. Calls that
 *       can be put off (a whole-JVM dump, a deadlock search) ask {@link #allows} first, with what the
 *       same kind of call cost last time; the offenders' own stacks, the evidence of a report, are
 *       never put off, and they are short.</li>
 * </ul>
 * Used from the agent's threads only (the loop, a bounded report thread, a JMX caller): a monitor is
 * enough.
 */
public final class AgentPauses {

    /** What kind of call stopped the world: each kind's last cost predicts its next. */
    public enum Kind {
        /** A slice of a whole-JVM dump (or the one call of a dump that lists ownable synchronizers). */
        DUMP,
        /** A slice of stacks read for a report's offenders, or for every thread once at attach. */
        STACKS,
        /** {@code findDeadlockedThreads}. */
        DEADLOCK_SEARCH
    }

    /** The span the budget is counted over: "any minute". */
    public static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** 1 % of the window. */
    public static final long BUDGET_NANOS = WINDOW_NANOS / 100;

    private final LongSupplier nanoClock;
    /** The pauses that ended within the last window: {end, duration}, oldest first. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();
    private final long[] lastCostNanos = new long[Kind.values().length];
    private final long[] lastEndNanos = new long[Kind.values().length];
    private final boolean[] seen = new boolean[Kind.values().length];
    private long totalNanos;
    private long count;
    private long undiscountedNanos;

    public AgentPauses(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public static AgentPauses system() {
        return new AgentPauses(System::nanoTime);
    }

    /** Runs {@code call}, which stops the world, and counts its time as the agent's pause. */
    public <T> T measure(Kind kind, Supplier<T> call) {
        long start = nanoClock.getAsLong();
        try {
            return call.get();
        } finally {
            record(kind, start, nanoClock.getAsLong());
        }
    }

    private synchronized void record(Kind kind, long start, long end) {
        long took = Math.max(0, end - start);
        totalNanos += took;
        count++;
        undiscountedNanos += took;
        lastCostNanos[kind.ordinal()] = took;
        lastEndNanos[kind.ordinal()] = end;
        seen[kind.ordinal()] = true;
        recent.addLast(new long[] {end, took});
        prune(end);
    }

    /**
     * Whether a call of this kind fits the budget now, if it costs what it cost last time (a kind
     * never run fits). A call that alone costs more than the whole budget (a dump that lists ownable
     * synchronizers on a big heap, which the user asked for) is let through once its last cost has
     * been paid back at 1 %: the next one no sooner than 100 times that cost after the last ended.
     */
    public synchronized boolean allows(Kind kind) {
        int k = kind.ordinal();
        if (!seen[k]) {
            return true;
        }
        long now = nanoClock.getAsLong();
        prune(now);
        long expected = lastCostNanos[k];
        if (expected > BUDGET_NANOS) {
            return now - lastEndNanos[k] >= expected * (WINDOW_NANOS / BUDGET_NANOS);
        }
        return spentInWindow() + expected <= BUDGET_NANOS;
    }

    /** The agent's pause time not yet taken off the tracked threads' time in state; resets it. */
    public synchronized long takeUndiscountedNanos() {
        long n = undiscountedNanos;
        undiscountedNanos = 0;
        return n;
    }

    /** All the agent's stop-the-world time since it started. */
    public synchronized long totalNanos() {
        return totalNanos;
    }

    /** How many calls that stop the world the agent has made. */
    public synchronized long count() {
        return count;
    }

    /** The agent's stop-the-world time within the last window. */
    public synchronized long spentInWindowNanos() {
        prune(nanoClock.getAsLong());
        return spentInWindow();
    }

    private long spentInWindow() {
        long sum = 0;
        for (long[] p : recent) {
            sum += p[1];
        }
        return sum;
    }

    private void prune(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst()[0] >= WINDOW_NANOS) {
            recent.removeFirst();
        }
    }
}
