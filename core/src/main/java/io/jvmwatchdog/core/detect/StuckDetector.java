package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.Activity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision: which watched threads are stuck, given what each pass saw.
 *
 * <p>The hot path never reads the clock, so a thread's time in its current state is measured here:
 * from the first pass that saw its current progress signature ({@link ThreadSample#sameProgressAs})
 * to now. A thread is therefore caught between {@code timeout} and {@code timeout + period} after it
 * stopped making progress. The rules:
 * <ul>
 *   <li>{@link UnitKind#TASK}: stuck when {@link Activity#RUNNING} with no progress for the timeout
 *       (waiting in a task is healthy);</li>
 *   <li>{@link UnitKind#BUDGETED}: stuck in any one state for the timeout.</li>
 * </ul>
 * Not thread-safe: one pass at a time, from the watchdog loop.
 */
public final class StuckDetector {

    private Map<Long, Tracked> tracked = new HashMap<>();

    private static final class Tracked {
        ThreadSample sample;
        long sinceNanos;
        boolean stuck;

        Tracked(ThreadSample sample, long sinceNanos) {
            this.sample = sample;
            this.sinceNanos = sinceNanos;
        }
    }

    /** What one pass concluded. */
    public record Result(List<Offender> offenders, List<Recovery> recovered) {
        public boolean hasNewOffender() {
            for (Offender o : offenders) {
                if (o.isNew()) {
                    return true;
                }
            }
            return false;
        }

        public int newOffenderCount() {
            int n = 0;
            for (Offender o : offenders) {
                n += o.isNew() ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Moves every tracked state's start forward by {@code nanos}: time during which the JVM did not run
     * (the loop was descheduled, the process stopped) must not count towards anyone's timeout.
     */
    public void discount(long nanos) {
        for (Tracked t : tracked.values()) {
            t.sinceNanos += nanos;
        }
    }

    /** Forgets everything, as after a restart. */
    public void reset() {
        tracked = new HashMap<>();
    }

    /**
     * One pass.
     *
     * @param nowNanos the ticker's reading for this pass
     * @param timeoutNanos the stuck threshold, positive
     * @param samples every watched thread this pass saw, at most one per thread id
     */
    public Result evaluate(long nowNanos, long timeoutNanos, List<ThreadSample> samples) {
        Map<Long, Tracked> next = new HashMap<>(Math.max(16, samples.size() * 2));
        List<Offender> offenders = new ArrayList<>();
        List<Recovery> recovered = new ArrayList<>();
        for (ThreadSample sample : samples) {
            Tracked t = tracked.remove(sample.threadId());
            if (t == null || !t.sample.sameProgressAs(sample) || t.sample.unit() != sample.unit()) {
                if (t != null && t.stuck) {
                    recovered.add(new Recovery(t.sample, nowNanos - t.sinceNanos));
                }
                t = new Tracked(sample, nowNanos);
            } else {
                t.sample = sample;
            }
            next.put(sample.threadId(), t);
            long elapsed = nowNanos - t.sinceNanos;
            if (isStuck(sample, elapsed, timeoutNanos)) {
                offenders.add(new Offender(sample, elapsed, !t.stuck));
                t.stuck = true;
            } else if (t.stuck) {
                // Same state but no longer past the threshold: the timeout was raised at run time.
                recovered.add(new Recovery(sample, elapsed));
                t.stuck = false;
            }
        }
        // Threads not seen this pass left their span (or ended): that is progress.
        for (Tracked t : tracked.values()) {
            if (t.stuck) {
                recovered.add(new Recovery(t.sample, nowNanos - t.sinceNanos));
            }
        }
        tracked = next;
        return new Result(List.copyOf(offenders), List.copyOf(recovered));
    }

    static boolean isStuck(ThreadSample sample, long elapsedNanos, long timeoutNanos) {
        if (elapsedNanos < timeoutNanos) {
            return false;
        }
        return sample.unit() == UnitKind.BUDGETED || sample.activity() == Activity.RUNNING;
    }
}
