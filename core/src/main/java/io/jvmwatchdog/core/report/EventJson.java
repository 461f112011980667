package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.base.Frames;
import io.jvmwatchdog.core.base.Json;
import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StarvedPool;
import io.jvmwatchdog.core.model.ThreadSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An event as one JSON object: the events file's line, a JMX notification's user data and a JFR
 * event's payload are all written here. The schema is a public contract (README, "Events file").
 */
public final class EventJson {

    /** Frames per thread in an event: a storm's line must stay a line. */
    static final int STACK_LIMIT = 256;

    private EventJson() {
    }

    /**
     * One thread of an event. {@code stack} and {@code chain} are empty where the event has none;
     * {@code reason}, {@code blockedOn} and {@code lockOwnerName} may be null.
     *
     * @param carrier for a virtual thread, the carrier it is mounted on, or null (not mounted)
     * @param pinnedBy for a virtual thread pinned to its carrier, the frame that pins it, or null
     * @param lockOwnerId the thread holding what it waits on, or -1
     * @param waiters how many threads wait on locks this one holds
     */
    public record EventThread(String name, long id, String state, long stuckMillis, String entry, String detail,
                              List<String> stack, boolean virtual, String carrier, String pinnedBy,
                              String reason, String blockedOn,
                              String lockOwnerName, long lockOwnerId, List<ChainLink> chain,
                              boolean interruptible, int waiters, StarvedPool pool) {

        /** A thread of no starved pool. */
        public EventThread(String name, long id, String state, long stuckMillis, String entry, String detail,
                           List<String> stack, boolean virtual, String carrier, String pinnedBy, String reason,
                           String blockedOn, String lockOwnerName, long lockOwnerId, List<ChainLink> chain,
                           boolean interruptible, int waiters) {
            this(name, id, state, stuckMillis, entry, detail, stack, virtual, carrier, pinnedBy, reason, blockedOn,
                    lockOwnerName, lockOwnerId, chain, interruptible, waiters, null);
        }
    }

    /** A stuck thread as an event has it, with what the report read of it (its stack, carrier, task). */
    static EventThread thread(Offender o, Evidence evidence) {
        ThreadSample s = o.sample();
        List<String> frames = new ArrayList<>();
        StackTraceElement[] stack = evidence.stacks().get(s.threadId());
        if (stack != null) {
            Arrays.stream(stack).limit(STACK_LIMIT).forEach(f -> frames.add(Frames.jstack(f)));
        }
        String blockedOn = s.activity() == Activity.RUNNING ? null : s.waitsOn();
        String carrier = evidence.carriers().get(s.threadId());
        return new EventThread(ReportText.name(s), s.threadId(), s.jvmState().name(),
                TimeUnit.NANOSECONDS.toMillis(o.stuckNanos()),
                s.entry() == null ? null : ReportText.entryWithTask(s.entry(), s.detail(), evidence.tasks().get(s.threadId())),
                s.detail(), frames, s.virtual(), carrier, ReportText.pinnedBy(o, carrier, stack), o.reason().id(), blockedOn,
                s.lockOwnerName(), s.lockOwnerId(), o.deadlockCycle().isEmpty() ? o.chain() : List.of(),
                s.interruptible(), o.waiters(), o.starvedPool());
    }

    /** A thread that moved on: how long it had been stuck, no stack. */
    static EventThread thread(Recovery r) {
        ThreadSample s = r.sample();
        return new EventThread(ReportText.name(s), s.threadId(), s.jvmState().name(),
                TimeUnit.NANOSECONDS.toMillis(r.stuckNanos()),
                s.entry() == null ? null : ReportText.entryWithTask(s.entry(), s.detail(), null), s.detail(),
                List.of(), s.virtual(), null, null, null, null, null, -1, List.of(), s.interruptible(), 0);
    }

    /**
     * One event object, ending with a newline.
     *
     * @param action {@code log} or {@code panic}, or null
     * @param cycle for a deadlock, the cycle (the event then carries {@code "deadlock":true}); else null
     */
    static String line(Instant time, String event, String action, List<EventThread> threads, List<ChainLink> cycle) {
        StringBuilder sb = head(time, event, action);
        if (cycle != null) {
            sb.append(",\"deadlock\":true,\"cycle\":");
            links(sb, cycle);
        }
        sb.append(",\"threads\":[");
        for (int i = 0; i < threads.size(); i++) {
            EventThread t = threads.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.string(sb, t.name());
            sb.append(",\"id\":").append(t.id());
            sb.append(",\"state\":");
            Json.string(sb, t.state());
            sb.append(",\"stuckMillis\":").append(t.stuckMillis());
            sb.append(",\"entry\":");
            Json.string(sb, t.entry());
            sb.append(",\"detail\":");
            Json.string(sb, t.detail());
            sb.append(",\"stack\":[");
            for (int f = 0; f < t.stack().size(); f++) {
                if (f > 0) {
                    sb.append(',');
                }
                Json.string(sb, t.stack().get(f));
            }
            sb.append("],\"virtual\":").append(t.virtual());
            if (t.virtual()) {
                sb.append(",\"carrier\":");
                Json.string(sb, t.carrier());
                sb.append(",\"pinnedBy\":");
                Json.string(sb, t.pinnedBy());
            }
            sb.append(",\"reason\":");
            Json.string(sb, t.reason());
            sb.append(",\"blockedOn\":");
            Json.string(sb, t.blockedOn());
            sb.append(",\"lockOwner\":");
            if (t.lockOwnerId() < 0) {
                sb.append("null");
            } else {
                sb.append("{\"name\":");
                Json.string(sb, t.lockOwnerName());
                sb.append(",\"id\":").append(t.lockOwnerId()).append('}');
            }
            sb.append(",\"chain\":");
            links(sb, t.chain());
            sb.append(",\"interruptible\":").append(t.interruptible());
            sb.append(",\"waiters\":").append(t.waiters());
            if (t.pool() != null) {
                sb.append(",\"pool\":{\"name\":");
                Json.string(sb, t.pool().name());
                sb.append(",\"workers\":").append(t.pool().workers()).append(",\"queued\":").append(t.pool().queued()).append('}');
            }
            sb.append('}');
        }
        return sb.append("]}\n").toString();
    }

    /**
     * A whole-JVM event ({@code jvm-stall}, or the {@code recovered} that ends one): the common fields,
     * a {@code stall} object with the figures, and no threads.
     */
    static String stallLine(Instant time, String event, String action, JvmStall s) {
        StringBuilder sb = head(time, event, action);
        sb.append(",\"stall\":{\"cause\":");
        Json.string(sb, s.cause().id());
        sb.append(",\"windowMillis\":").append(millis(s.windowNanos()));
        sb.append(",\"stoppedMillis\":").append(millis(s.stoppedNanos()));
        sb.append(",\"stoppedPercent\":").append(s.stoppedPermille() / 10).append('.').append(s.stoppedPermille() % 10);
        sb.append(",\"pauses\":").append(s.pauses());
        sb.append(",\"collections\":").append(s.collections());
        sb.append(",\"collector\":");
        Json.string(sb, s.mainCollector());
        sb.append(",\"collectors\":[");
        for (int i = 0; i < s.collectors().size(); i++) {
            JvmStall.Collector c = s.collectors().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.string(sb, c.name());
            sb.append(",\"collections\":").append(c.collections()).append(",\"millis\":").append(c.millis()).append('}');
        }
        sb.append("],\"heapAfterGcPercent\":").append(s.heapAfterGcPercent());
        sb.append(",\"lateMillis\":").append(millis(s.lateNanos()));
        sb.append(",\"maxLateMillis\":").append(millis(s.maxLateNanos()));
        sb.append(",\"latePasses\":").append(s.latePasses());
        sb.append(",\"lastedMillis\":").append(millis(s.lastedNanos()));
        return sb.append("},\"threads\":[]}\n").toString();
    }

    /** What every event object begins with: its time, name and action. */
    private static StringBuilder head(Instant time, String event, String action) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"time\":");
        Json.string(sb, time.toString());
        sb.append(",\"event\":");
        Json.string(sb, event);
        sb.append(",\"action\":");
        Json.string(sb, action);
        return sb;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void links(StringBuilder sb, List<ChainLink> links) {
        sb.append('[');
        for (int i = 0; i < links.size(); i++) {
            ChainLink l = links.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.string(sb, l.threadName());
            sb.append(",\"id\":").append(l.threadId()).append(",\"state\":");
            Json.string(sb, l.state() == null ? null : l.state().name());
            sb.append(",\"waitsOn\":");
            Json.string(sb, l.waitsOn());
            sb.append(",\"forMillis\":").append(l.forNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(l.forNanos())).append('}');
        }
        sb.append(']');
    }

}
