package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.base.Frames;
import io.jvmwatchdog.core.base.StderrSink;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.model.Activity;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The human text of reports: pure functions, tested against exact expected text. */
public final class ReportText {

    private ReportText() {
    }

    /** Cap on the offenders' section repeated after the dump at panic, so it survives log truncation. */
    public static final int PANIC_REPEAT_LIMIT_CHARS = 64 * 1024;
    /**
     * Caps on a report's summary and sections: together they stay well inside the part of the stderr
     * queue that a dump may not take (StderrSink's reserve), so the evidence always gets in.
     */
    public static final int SUMMARY_LIMIT_CHARS = 512 * 1024;
    public static final int SECTIONS_LIMIT_CHARS = 1024 * 1024;
    /** Offenders with the same stack, state and wait are one section from this many on. */
    public static final int GROUP_MIN_THREADS = 2;

    /**
     * The summary that opens a stuck report, one line per offender, gVisor-style:
     * <pre>
     * JVM Watchdog detected 1 stuck thread(s) (timeout 2s, action log):
     * 	"pool-1-thread-1" #21 running with no progress for 2.4s (RUNNABLE), entry java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run) [new]
     * Search for '#21' in the thread dump below.
     * </pre>
     *
     * @param tasks per offender id, the task frame to name (may be absent)
     */
    public static String stuckSummary(Incident incident, Map<Long, String> tasks) {
        StringBuilder sb = new StringBuilder();
        sb.append("JVM Watchdog detected ").append(incident.offenders().size()).append(" stuck thread(s) (timeout ")
                .append(Durations.format(incident.timeout())).append(", action ").append(incident.action().optionValue())
                .append("):\n");
        StringBuilder ids = new StringBuilder();
        List<Offender> offenders = incident.offenders();
        for (int i = 0; i < offenders.size(); i++) {
            if (sb.length() >= SUMMARY_LIMIT_CHARS) {
                sb.append("\t... ").append(offenders.size() - i).append(" more stuck thread(s): the events file lists every new one\n");
                break;
            }
            Offender o = offenders.get(i);
            ThreadSample s = o.sample();
            sb.append('\t').append(threadLabel(s)).append(' ').append(o.reason().label());
            if (o.reason() != StuckReason.DEADLOCK) {
                sb.append(" for ").append(Durations.formatNanos(o.stuckNanos()));
            }
            sb.append(" (").append(s.jvmState()).append(')');
            String waitsOn = s.activity() == Activity.RUNNING ? null : s.waitsOn();
            if (waitsOn != null) {
                sb.append(": ").append(waitsOn).append(heldBy(s));
            }
            if (s.entry() != null) {
                sb.append(", entry ").append(entryWithTask(s.entry(), s.detail(), tasks.get(s.threadId())));
            }
            if (o.isNew()) {
                sb.append(" [new]");
            }
            sb.append('\n');
            if (ids.length() < SEARCH_IDS_LIMIT_CHARS) {
                ids.append(ids.length() == 0 ? "" : "', '").append('#').append(s.threadId());
            }
        }
        String lastDump = incident.nanosSinceLastDump() < 0 ? "" : ": the last one was taken "
                + Durations.formatNanos(incident.nanosSinceLastDump()) + " ago";
        switch (incident.dump()) {
            case TAKEN:
                sb.append("Search for '").append(ids).append("' in the thread dump below.");
                break;
            case REPEAT:
                sb.append(incident.nanosSinceLastDump() < 0 ? "...[thread dump skipped: the same thread(s) were reported before]..."
                        : "...[thread dump skipped: the same thread(s) were reported with a dump "
                        + Durations.formatNanos(incident.nanosSinceLastDump()) + " ago]...");
                break;
            case DEFERRED:
                sb.append("...[thread dump deferred").append(lastDump)
                        .append(", and one is taken at most once a minute; each stuck thread's stack is in its section below]...");
                break;
            default:
                sb.append("...[thread dump deferred: it would take the agent's own stop-the-world time past 1 % of the"
                        + " last minute; each stuck thread's stack is in its section below]...");
        }
        return sb.toString();
    }

    /** The "Search for" hint names the first offenders only. */
    private static final int SEARCH_IDS_LIMIT_CHARS = 2048;

    /**
     * One section per offender: its state, what it waits on and who holds it, the wait-for chain to
     * the root holder (or the deadlock cycle), the locks it holds that others wait on, and its stack.
     * Offenders that share all of it but their name and time (a pool of workers all stuck in the same
     * socket read when a database went away) share one section, as thread-dump analysers group them:
     * {@code 37 threads stuck at the same frame}, the list of them, then what they share, once. The
     * text is cut at {@link #SECTIONS_LIMIT_CHARS}, saying how many offenders were left out.
     *
     * @param stacks per offender id, its stack (may be absent: such an offender is never grouped)
     * @param carriers per virtual offender id, the carrier it is mounted on (absent when not mounted)
     */
    public static String offenderSections(List<Offender> offenders, Map<Long, StackTraceElement[]> stacks,
                                          Map<Long, String> carriers) {
        StringBuilder sb = new StringBuilder();
        List<List<Offender>> groups = groups(offenders, stacks, carriers);
        int shown = 0;
        for (List<Offender> group : groups) {
            if (sb.length() >= SECTIONS_LIMIT_CHARS) {
                sb.append("... ").append(offenders.size() - shown).append(" more stuck thread(s) without a section here:"
                        + " the report passed ").append(SECTIONS_LIMIT_CHARS / 1024).append(" KiB (the events file has every new one,"
                        + " with its stack) ...\n");
                break;
            }
            appendSection(sb, group, stacks, carriers);
            shown += group.size();
        }
        return sb.toString();
    }

    /**
     * The offenders in sections: those alike in everything a section shows but name, id and time in
     * a group of their own (in the order of their first member), the rest alone. A deadlock's threads
     * are never alike: each has its own place in the cycle.
     */
    static List<List<Offender>> groups(List<Offender> offenders, Map<Long, StackTraceElement[]> stacks,
                                       Map<Long, String> carriers) {
        Map<Object, List<Offender>> byKey = new LinkedHashMap<>();
        for (Offender o : offenders) {
            ThreadSample s = o.sample();
            StackTraceElement[] stack = stacks.get(s.threadId());
            Object key = stack == null || stack.length == 0 || o.reason() == StuckReason.DEADLOCK ? o
                    : List.of(o.reason(), s.jvmState(), s.activity(), s.interruptible(), String.valueOf(s.waitsOn()),
                            s.lockOwnerId(), s.virtual(), String.valueOf(pinnedBy(o, carriers.get(s.threadId()), stack)),
                            o.waiters(), Arrays.asList(stack), chainBeyondFirst(o.chain()), String.valueOf(o.starvedPool()));
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
        }
        List<List<Offender>> groups = new ArrayList<>();
        for (List<Offender> members : byKey.values()) {
            if (members.size() >= GROUP_MIN_THREADS) {
                groups.add(members);
            } else {
                members.forEach(m -> groups.add(List.of(m)));
            }
        }
        return groups;
    }

    /** A chain as alike offenders share it: from the lock the first link waits on, on. */
    private static List<String> chainBeyondFirst(List<ChainLink> chain) {
        List<String> links = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            ChainLink l = chain.get(i);
            links.add(i == 0 ? l.waitsOn() : l.threadId() + " " + l.state() + " " + l.waitsOn());
        }
        return links;
    }

    private static void appendSection(StringBuilder sb, List<Offender> group, Map<Long, StackTraceElement[]> stacks,
                                      Map<Long, String> carriers) {
        Offender o = group.get(0);
        ThreadSample s = o.sample();
        if (group.size() == 1) {
            sb.append("Stuck thread ").append(threadLabel(s)).append(": ").append(o.reason().label());
            if (o.reason() != StuckReason.DEADLOCK) {
                sb.append(" for ").append(Durations.formatNanos(o.stuckNanos()));
            }
            sb.append('\n');
        } else {
            long shortest = Long.MAX_VALUE;
            long longest = 0;
            for (Offender m : group) {
                shortest = Math.min(shortest, m.stuckNanos());
                longest = Math.max(longest, m.stuckNanos());
            }
            sb.append(group.size()).append(" threads stuck at the same frame: ").append(o.reason().label()).append(" for ")
                    .append(Durations.formatNanos(shortest));
            if (longest != shortest) {
                sb.append(" to ").append(Durations.formatNanos(longest));
            }
            sb.append('\n').append("    threads: ");
            for (int i = 0; i < group.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(threadLabel(group.get(i).sample()));
            }
            sb.append('\n');
        }
        sb.append("    state: ").append(s.jvmState()).append(" (").append(s.activity().label()).append(')');
        if (s.activity() != Activity.RUNNING) {
            sb.append(s.interruptible() ? ", interruptible" : ", not interruptible");
        }
        sb.append('\n');
        String waitsOn = s.waitsOn();
        if (waitsOn != null && s.activity() != Activity.RUNNING) {
            sb.append("    waits on: ").append(waitsOn).append(heldBy(s)).append('\n');
        }
        String carrier = carriers.get(s.threadId());
        if (s.virtual() && group.size() == 1) {
            sb.append("    virtual thread, ").append(carrier == null ? "not mounted" : "mounted on carrier \"" + carrier + "\"")
                    .append('\n');
        }
        String pinnedBy = pinnedBy(o, carrier, stacks.get(s.threadId()));
        if (pinnedBy != null) {
            sb.append("    pinned by: ").append(pinnedBy).append('\n');
        }
        if (o.starvedPool() != null) {
            sb.append("    starved pool: ").append(o.starvedPool()).append(" (a thread-starvation deadlock: the"
                    + " jobs wait on work that no worker is free to run)\n");
        }
        if (o.waiters() > 0) {
            sb.append("    holds locks that ").append(o.waiters()).append(" other thread(s) wait on\n");
        }
        if (!o.chain().isEmpty()) {
            sb.append(o.reason() == StuckReason.DEADLOCK ? "    deadlock cycle:\n"
                    : group.size() == 1 ? "    wait-for chain:\n" : "    wait-for chain (of the first; the others' is the same):\n");
            appendChain(sb, o.chain());
        }
        StackTraceElement[] stack = stacks.get(s.threadId());
        if (stack != null) {
            sb.append("    stack:\n");
            for (StackTraceElement f : stack) {
                sb.append("\tat ").append(Frames.jstack(f)).append('\n');
            }
        }
    }

    static void appendChain(StringBuilder sb, List<ChainLink> chain) {
        for (int i = 0; i < chain.size(); i++) {
            ChainLink l = chain.get(i);
            sb.append(i == 0 ? "        " : "        -> ").append('"').append(l.threadName()).append("\" #")
                    .append(l.threadId());
            if (l.state() != null) {
                sb.append(" (").append(l.state()).append(')');
            }
            boolean last = i == chain.size() - 1;
            if (!last) {
                sb.append(" waits");
                if (l.forNanos() >= 0) {
                    sb.append(' ').append(Durations.formatNanos(l.forNanos()));
                }
                sb.append(" for ").append(l.waitsOn());
            } else {
                sb.append(' ').append(l.waitsOn());
                if (l.forNanos() >= 0) {
                    sb.append(" for ").append(Durations.formatNanos(l.forNanos()));
                }
            }
            sb.append('\n');
        }
    }

    private static String heldBy(ThreadSample s) {
        return s.lockOwnerId() < 0 ? "" : ", held by \"" + s.lockOwnerName() + "\" #" + s.lockOwnerId();
    }

    /** Cuts {@code text} to at most {@code limit} characters, saying so. */
    public static String capped(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        String note = "\n...[cut at " + (limit / 1024) + " KiB]...\n";
        return text.substring(0, Math.max(0, limit - note.length())) + note;
    }

    public static String recovered(Recovery r) {
        ThreadSample s = r.sample();
        return "JVM Watchdog: " + threadLabel(s) + " recovered after being stuck for "
                + Durations.formatNanos(r.stuckNanos()) + ", entry " + entryWithTask(s.entry(), s.detail(), null);
    }

    public static String threadLabel(ThreadSample s) {
        if (s.virtual() && s.name().isEmpty()) {
            return "#" + s.threadId() + " (virtual)"; // most virtual threads have no name
        }
        return "\"" + s.name() + "\" #" + s.threadId() + (s.virtual() ? " (virtual)" : "");
    }

    /** The thread's name for the events file: an unnamed virtual thread is named by its {@code #id}. */
    public static String name(ThreadSample s) {
        return s.virtual() && s.name().isEmpty() ? "#" + s.threadId() : s.name();
    }

    /**
     * What pins a virtual thread that waits on its carrier: the first native frame or class
     * initialiser below the JDK's own parking and waiting frames; else, for a thread blocked on a
     * monitor or waiting while mounted, the monitor it holds ({@code synchronized} pins on Java 21-23).
     * Null for a thread that is not pinned.
     *
     * @param carrier the carrier it is mounted on, or null
     */
    public static String pinnedBy(Offender o, String carrier, StackTraceElement[] stack) {
        ThreadSample s = o.sample();
        boolean pinned = o.reason() == StuckReason.PINNED
                || (s.virtual() && carrier != null && s.activity() != Activity.RUNNING);
        if (!pinned) {
            return null;
        }
        if (stack != null) {
            for (StackTraceElement f : stack) {
                if (isParkingMachinery(f)) {
                    continue;
                }
                if (f.isNativeMethod()) {
                    return "native method " + Frames.jstack(f);
                }
                if (f.getMethodName().equals("<clinit>")) {
                    return "class initialiser " + Frames.jstack(f);
                }
            }
        }
        return "a monitor held (synchronized) in a frame of the stack";
    }

    private static boolean isParkingMachinery(StackTraceElement f) {
        String c = f.getClassName();
        return c.equals("java.lang.VirtualThread") || c.equals("jdk.internal.misc.Unsafe")
                || c.equals("java.util.concurrent.locks.LockSupport") || c.startsWith("jdk.internal.vm.Continuation")
                || (c.equals("java.lang.Object") && f.getMethodName().startsWith("wait"))
                || (c.equals("java.lang.Thread") && f.getMethodName().startsWith("sleep"));
    }

    /**
     * The unit as a report names it: {@code Class.method} of its entry, then what it serves when the
     * server said so ({@code (request GET /orders)}), then the task frame when one was found.
     */
    public static String entryWithTask(String entry, String detail, String task) {
        StringBuilder sb = new StringBuilder(entry == null ? "unknown" : entry);
        if (detail != null) {
            sb.append(" (").append(detail).append(')');
        }
        if (task != null) {
            sb.append(" (task ").append(task).append(')');
        }
        return sb.toString();
    }

    /**
     * Names the work a pool thread runs: the first application frame above the entry method (the JDK's
     * own wrappers, such as {@code FutureTask.run}, skipped), else the frame right above it. Only for
     * JDK entry points; an {@code entry=} method names itself.
     *
     * @param entry {@code Class.method} of the span, as the instrumentation names it
     * @return {@code Class.method}, or null when there is nothing better to say than the entry
     */
    public static String taskFrame(String entry, StackTraceElement[] stack) {
        if (entry == null || stack == null || !entry.startsWith("java.")) {
            return null;
        }
        int dot = entry.lastIndexOf('.');
        String cls = entry.substring(0, dot);
        String method = entry.substring(dot + 1);
        int entryIndex = -1;
        for (int i = stack.length - 1; i >= 0; i--) {
            if (stack[i].getClassName().equals(cls) && stack[i].getMethodName().equals(method)) {
                entryIndex = i;
                break;
            }
        }
        if (entryIndex <= 0) {
            return null;
        }
        for (int i = entryIndex - 1; i >= 0; i--) {
            String c = stack[i].getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !c.contains("$$Lambda")) {
                return c + "." + stack[i].getMethodName();
            }
        }
        StackTraceElement above = stack[entryIndex - 1];
        return above.getClassName() + "." + above.getMethodName();
    }

    /** A stall's cause in one clause, the headline's. */
    public static String stallCause(JvmStall s) {
        if (s.cause() == JvmStall.Cause.STARVED) {
            return "the watchdog's own thread was late at " + s.latePasses() + " passes in a row, "
                    + Durations.formatNanos(s.lateNanos()) + " in all beyond what pauses explain";
        }
        return "stopped " + percent(s.stoppedPermille()) + " of the last " + Durations.formatNanos(s.windowNanos()) + " ("
                + Durations.formatNanos(s.stoppedNanos()) + (s.pauses() >= 0 ? " in " + s.pauses() + " pause(s)" : "") + ")";
    }

    /**
     * The log's report of a stall: what stalls it, then each figure on its line.
     * <pre>
     * JVM Watchdog: the JVM is stalled: stopped 97.5 % of the last 4s (3.9s in 1204 pause(s)) (stall-threshold 50 %, action log)
     * 	collections: 1198, most time in PS MarkSweep (1150 in 3.6s), PS Scavenge (48 in 150ms)
     * 	heap after the last collection: 93 % full
     * </pre>
     */
    public static String stall(JvmStall s, Action action, int thresholdPercent, boolean repeat) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("JVM Watchdog: the JVM is ").append(repeat ? "still stalled, for " + Durations.formatNanos(s.lastedNanos())
                : "stalled").append(": ").append(stallCause(s))
                .append(" (stall-threshold ").append(thresholdPercent).append(" %, action ").append(action.optionValue()).append(")\n");
        if (s.cause() == JvmStall.Cause.STARVED) {
            sb.append("\tthe watchdog's thread: ").append(s.latePasses()).append(" late passes, up to ")
                    .append(Durations.formatNanos(s.maxLateNanos()))
                    .append(" at once: the JVM gets too little CPU (a cgroup quota, a crowded host), or something outside it"
                            + " stops it again and again\n");
            sb.append("\tstopped by the JVM meanwhile: ").append(percent(s.stoppedPermille())).append(" of the last ")
                    .append(Durations.formatNanos(s.windowNanos())).append('\n');
        }
        sb.append("\tcollections: ").append(s.collections());
        for (int i = 0; i < s.collectors().size(); i++) {
            JvmStall.Collector c = s.collectors().get(i);
            sb.append(i == 0 ? ", most time in " : ", ").append(c.name()).append(" (").append(c.collections()).append(" in ")
                    .append(Durations.formatNanos(c.millis() * 1_000_000L)).append(')');
        }
        if (s.collections() == 0 && s.cause() == JvmStall.Cause.PAUSES) {
            sb.append("\n\tno collection ran: the JVM held other safepoints that long, or took that long to reach them"
                    + " (threads that get too little CPU reach a safepoint late)");
        }
        sb.append("\n\theap after the last collection: ")
                .append(s.heapAfterGcPercent() < 0 ? "unknown" : s.heapAfterGcPercent() + " % full");
        if (action == Action.PANIC) {
            sb.append("\n\thalting the JVM (action panic)");
        }
        return sb.toString();
    }

    /** Tenths of a percent, as {@code 97.1 %}. */
    private static String percent(int permille) {
        return permille / 10 + "." + permille % 10 + " %";
    }
}
