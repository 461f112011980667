package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.LiveThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The JVM's thread stacks, for reports only, never per pass: every read stops the world.
 *
 * <p><b>In slices.</b> Stacks are read {@link #SLICE_THREADS} threads at a time
 * ({@code getThreadInfo(ids, monitors, false, depth)}), each slice a short safepoint of its own. The
 * JVM's one-shot dump of thousands of deep stacks stops the world for seconds on Java 17: measured
 * here, 3,000 threads 200 frames deep took 14.9 s the first time (the JVM's handles for every frame
 * of the dump are made at once, and making that many is slow the first time), 3.8 s for 1,000 such
 * threads; in slices of 16, the whole of it took 0.75 s, and no pause passed 40 ms. A whole-JVM dump
 * is then no longer one instant: each slice is, and a stuck thread does not move between them.
 *
 * <p><b>Bounded.</b> Between the slices of a whole-JVM dump the reader waits as long as the last slice
 * stopped the world, so the application runs at least half the time while a dump is taken; and the
 * dump stops when its caller says so (the agent's pause budget, or a panic's deadline), saying how
 * many threads it left out.
 *
 * <p><b>Locks.</b> Slices list the monitors each thread holds (the JVM's list of inflated monitors:
 * no heap walk). Ownable synchronizers ({@code dump-synchronizers=true}) need a walk of the whole heap
 * per call, about a second per 4 GB of live small objects: that dump is one call, never sliced, and
 * never taken for a JVM about to be halted (a heap walk, once begun, holds the halting thread too).
 */
public final class ThreadDumper {

    /**
     * Frames kept per thread: a runaway recursion's thread has tens of thousands, and every one would
     * cost the dump its pause and the report its budget.
     */
    public static final int MAX_DEPTH = 1024;
    /** Threads per slice: 16 threads 200 frames deep are a 5-15 ms pause on Java 17 here. */
    static final int SLICE_THREADS = 16;

    /**
     * A whole-JVM dump.
     *
     * @param threads the threads read, in the order asked (offenders first)
     * @param omitted live threads left out because the caller stopped the dump
     * @param synchronizers whether ownable synchronizers were listed
     */
    public record Dump(List<ThreadInfo> threads, int omitted, boolean synchronizers) {
    }

    private final ThreadMXBean mx;
    private final BooleanSupplier synchronizers;
    private final AgentPauses pauses;

    /**
     * @param synchronizers whether a dump lists ownable synchronizers (a heap walk), asked at each dump
     *     ({@code dump-synchronizers} can be changed by a later attach)
     */
    public ThreadDumper(ThreadMXBean mx, BooleanSupplier synchronizers, AgentPauses pauses) {
        this.mx = mx;
        this.synchronizers = synchronizers;
        this.pauses = pauses;
    }

    public static ThreadDumper platform(BooleanSupplier synchronizers, AgentPauses pauses) {
        return new ThreadDumper(ManagementFactory.getThreadMXBean(), synchronizers, pauses);
    }

    /**
     * Every live platform thread, those named in {@code first} first, with stacks and held monitors.
     *
     * @param mayWalkHeap false for a JVM about to be halted: ownable synchronizers are then not listed
     * @param mayGoOn asked before each slice after the first: false stops the dump there
     * @param yieldBetweenSlices whether to let the application run between slices (not at a panic:
     *     the JVM ends anyway, and the dump has a deadline)
     */
    Dump dumpAll(Collection<Long> first, boolean mayWalkHeap, BooleanSupplier mayGoOn, boolean yieldBetweenSlices) {
        if (mayWalkHeap && synchronizers.getAsBoolean() && mx.isSynchronizerUsageSupported()) {
            ThreadInfo[] all = pauses.measure(AgentPauses.Kind.DUMP,
                    () -> mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), true, MAX_DEPTH));
            return new Dump(Arrays.stream(all).filter(i -> i != null).toList(), 0, true);
        }
        Set<Long> ordered = new LinkedHashSet<>(first);
        for (long id : LiveThreads.platformIds()) {
            ordered.add(id);
        }
        long[] ids = ordered.stream().mapToLong(Long::longValue).toArray();
        List<ThreadInfo> read = new ArrayList<>(ids.length);
        int next = 0;
        while (next < ids.length && (next == 0 || mayGoOn.getAsBoolean())) {
            long[] slice = Arrays.copyOfRange(ids, next, Math.min(ids.length, next + SLICE_THREADS));
            long start = System.nanoTime();
            read(slice, mx.isObjectMonitorUsageSupported(), AgentPauses.Kind.DUMP, read);
            next += slice.length;
            if (yieldBetweenSlices && next < ids.length) {
                LockSupport.parkNanos(System.nanoTime() - start);
            }
        }
        return new Dump(read, ids.length - next, false);
    }

    /**
     * A whole-JVM dump within the agent's pause budget: slices stop once another would take the
     * agent's stop-the-world time past 1 % of the last minute, and the application runs between them.
     */
    public Dump dumpWithinBudget(Collection<Long> first) {
        return dumpAll(first, true, () -> pauses.allows(AgentPauses.Kind.DUMP), true);
    }

    /** A whole-JVM dump for a JVM about to be halted: no heap walk, no waits, stopped at {@code deadlineNanos}. */
    public Dump dumpBefore(long deadlineNanos, Collection<Long> first) {
        return dumpAll(first, false, () -> System.nanoTime() - deadlineNanos < 0, false);
    }

    /**
     * The stacks of these platform threads only (no locks), in slices without waits: the evidence of
     * a report, never put off. Threads that ended are left out.
     */
    public List<ThreadInfo> stacksOf(long[] threadIds) {
        List<ThreadInfo> read = new ArrayList<>(threadIds.length);
        for (int next = 0; next < threadIds.length; next += SLICE_THREADS) {
            read(Arrays.copyOfRange(threadIds, next, Math.min(threadIds.length, next + SLICE_THREADS)), false,
                    AgentPauses.Kind.STACKS, read);
        }
        return read;
    }

    private void read(long[] slice, boolean monitors, AgentPauses.Kind kind, List<ThreadInfo> into) {
        ThreadInfo[] infos = pauses.measure(kind, () -> mx.getThreadInfo(slice, monitors, false, MAX_DEPTH));
        for (ThreadInfo info : infos) {
            if (info != null) {
                into.add(info);
            }
        }
    }
}
