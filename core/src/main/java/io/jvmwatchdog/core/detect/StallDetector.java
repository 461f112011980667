package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.PauseTotals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The whole-JVM check: is the JVM making progress at all? Told once per pass what the JVM's pause
 * counters say and how late the pass was, it finds two kinds of stall ({@link JvmStall.Cause}):
 * <ul>
 *   <li><b>pauses</b>: over the last window (one timeout), stop-the-world time took at least the
 *       threshold's share of wall time: a collector in a death spiral, or any other safepoint storm.
 *       A verdict needs a whole window of history, so a burst at start is not a stall;</li>
 *   <li><b>starved</b>: the pass was more than {@link StuckDetector#DESCHEDULE_THRESHOLD_NANOS} late
 *       beyond what pauses explain, at least {@link #STARVED_MIN_PASSES} passes in a row, and the
 *       late streak has lasted longer than the window. A process stopped once (SIGSTOP, a VM
 *       migration, a laptop's sleep) is one late pass, then passes on time again: a pause, which the
 *       stuck-thread check discounts, never a stall.</li>
 * </ul>
 * A stall is told when first seen, then at most once per repeat interval while it lasts; it is over
 * when a whole window passes without either kind and the loop is on time again. Not thread-safe: the watchdog loop's alone.
 */
public final class StallDetector {

    /** A streak of late passes shorter than this is a stop and a resume, however long it lasted. */
    static final int STARVED_MIN_PASSES = 3;
    /** Samples kept per window at most (older ones are coalesced): memory stays bounded at any period. */
    private static final int SAMPLES_PER_WINDOW = 32;

    /** What a pass concluded. */
    public enum Verdict {
        /** No stall, and none going on. */
        NONE,
        /** A stall seen for the first time: report it. */
        NEW,
        /** A stall still going on, last reported a repeat interval ago: report it again. */
        REPEAT,
        /** A stall going on, reported recently (or not seen this pass, but not a whole window ago). */
        ONGOING,
        /** The stall is over: a whole window passed without one. */
        RECOVERED
    }

    /**
     * @param stall the stall seen this pass; for {@link Verdict#RECOVERED} and a quiet
     *     {@link Verdict#ONGOING} the last one seen; null for {@link Verdict#NONE}
     * @param seenNow whether this pass saw the stall (its figures are this pass's)
     */
    public record Result(Verdict verdict, JvmStall stall, boolean seenNow) {
    }

    private record Sample(long at, PauseTotals totals) {
    }

    private final long repeatNanos;
    private final ArrayDeque<Sample> history = new ArrayDeque<>();
    private PauseTotals previous;

    private int latePasses;
    private long streakStart;
    private long lateSum;
    private long lateMax;

    private boolean stalled;
    private long stallBegan;
    private long lastReported;
    private long lastSeen;
    private JvmStall lastStall;
    /** The stopped share of the last whole window, in tenths of a percent; -1 before a whole window. */
    private volatile int lastStoppedPermille = -1;

    /** @param repeatNanos a stall still going on is told again at most this often */
    public StallDetector(long repeatNanos) {
        this.repeatNanos = repeatNanos;
    }

    /** Forgets everything, as after a restart. */
    public void reset() {
        history.clear();
        previous = null;
        endStreak();
        stalled = false;
        lastStall = null;
        lastStoppedPermille = -1;
    }

    /** The share of the last whole window the JVM was stopped, in tenths of a percent; -1 before a whole window. */
    public int lastStoppedPermille() {
        return lastStoppedPermille;
    }

    /**
     * One pass.
     *
     * @param totals the JVM's pause totals now
     * @param latenessNanos how much later than asked this pass began (negative or zero: on time)
     * @param windowNanos the window: one timeout
     * @param thresholdPercent the stopped share that makes a stall, 1 to 100
     * @param starvationChecked false when a debugger may suspend the JVM: late passes are then never a stall
     */
    public Result observe(long now, PauseTotals totals, long latenessNanos, long windowNanos, int thresholdPercent,
                          boolean starvationChecked) {
        long unexplained = previous == null ? latenessNanos
                : latenessNanos - Math.max(0, totals.stoppedNanos() - previous.stoppedNanos());
        previous = totals;
        if (starvationChecked && unexplained > StuckDetector.DESCHEDULE_THRESHOLD_NANOS) {
            if (latePasses == 0) {
                streakStart = now - latenessNanos; // when this pass was due
            }
            latePasses++;
            lateSum += unexplained;
            lateMax = Math.max(lateMax, unexplained);
        } else {
            endStreak();
        }
        Sample base = remember(now, totals, windowNanos);
        JvmStall seen = null;
        if (base.at() <= now - windowNanos) { // a whole window of history
            long span = now - base.at();
            long stopped = Math.max(0, totals.stoppedNanos() - base.totals().stoppedNanos());
            lastStoppedPermille = (int) Math.min(1000, stopped * 1000 / Math.max(1, span));
            if (stopped * 100 >= (long) thresholdPercent * span) {
                seen = stall(JvmStall.Cause.PAUSES, now, base, totals);
            }
        }
        if (seen == null && latePasses >= STARVED_MIN_PASSES && now - streakStart >= windowNanos) {
            seen = stall(JvmStall.Cause.STARVED, now, base, totals);
        }
        return episode(now, seen, windowNanos);
    }

    /** How many samples the window keeps (a test's bound). */
    int historySize() {
        return history.size();
    }

    private void endStreak() {
        latePasses = 0;
        lateSum = 0;
        lateMax = 0;
    }

    /** Keeps this pass's totals (coalesced) and returns the window's base: the newest sample a whole window old, else the oldest. */
    private Sample remember(long now, PauseTotals totals, long windowNanos) {
        Sample newest = history.peekLast();
        if (newest == null || now - newest.at() >= windowNanos / SAMPLES_PER_WINDOW) {
            history.addLast(new Sample(now, totals));
        }
        // Drop samples older than the newest one that is already a whole window old.
        while (history.size() > 1) {
            Iterator<Sample> it = history.iterator();
            it.next();
            Sample second = it.next();
            if (second.at() <= now - windowNanos) {
                history.removeFirst();
            } else {
                break;
            }
        }
        return history.peekFirst();
    }

    private JvmStall stall(JvmStall.Cause cause, long now, Sample base, PauseTotals totals) {
        PauseTotals from = base.totals();
        long span = now - base.at();
        long stopped = Math.max(0, totals.stoppedNanos() - from.stoppedNanos());
        long pauses = totals.safepoints() >= 0 && from.safepoints() >= 0 ? totals.safepoints() - from.safepoints() : -1;
        List<JvmStall.Collector> ran = new ArrayList<>();
        long collections = 0;
        for (JvmStall.Collector c : totals.collectors()) {
            JvmStall.Collector before = find(from.collectors(), c.name());
            long count = c.collections() - (before == null ? 0 : before.collections());
            long millis = c.millis() - (before == null ? 0 : before.millis());
            if (count > 0) {
                ran.add(new JvmStall.Collector(c.name(), count, Math.max(0, millis)));
                collections += count;
            }
        }
        ran.sort(Comparator.comparingLong(JvmStall.Collector::millis).reversed());
        boolean starved = cause == JvmStall.Cause.STARVED;
        long began = starved ? streakStart : (stalled ? stallBegan : now);
        return new JvmStall(cause, span, stopped, pauses, collections, ran, -1, starved ? lateSum : 0,
                starved ? lateMax : 0, starved ? latePasses : 0, Math.max(0, now - began));
    }

    private static JvmStall.Collector find(List<JvmStall.Collector> list, String name) {
        for (JvmStall.Collector c : list) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private Result episode(long now, JvmStall seen, long windowNanos) {
        if (seen != null) {
            lastSeen = now;
            if (!stalled) {
                stalled = true;
                stallBegan = now - seen.lastedNanos();
                lastReported = now;
                lastStall = seen;
                return new Result(Verdict.NEW, seen, true);
            }
            JvmStall lasting = seen.withLasted(now - stallBegan);
            lastStall = lasting;
            if (now - lastReported >= repeatNanos) {
                lastReported = now;
                return new Result(Verdict.REPEAT, lasting, true);
            }
            return new Result(Verdict.ONGOING, lasting, true);
        }
        if (!stalled) {
            return new Result(Verdict.NONE, null, false);
        }
        // Over once a whole window passed without a stall and the loop is on time again: a starved loop's
        // next pass, seconds late, may find no stall in a window it barely watched.
        if (now - lastSeen >= windowNanos && latePasses == 0) {
            stalled = false;
            return new Result(Verdict.RECOVERED, lastStall.withLasted(lastSeen - stallBegan), false);
        }
        return new Result(Verdict.ONGOING, lastStall, false);
    }
}
