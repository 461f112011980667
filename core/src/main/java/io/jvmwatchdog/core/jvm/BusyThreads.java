package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.base.Frames;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The agent's blind spots, shown: platform threads that have used CPU steadily (at least {@link
 * #BUSY_PERCENT} % of a core) for a whole window of one timeout, outside any unit the agent watches.
 * Such a thread may be a loop that hangs the service without ever being judged (a worker of a pool nobody listed, a hand-made thread); the
 * status views list it with its top frames and the {@code entry=} that would watch it.
 *
 * <p>Cheap: the threads' CPU times are read once per window (a per-thread clock read each, no
 * safepoint), and a stack only for a thread newly listed. Virtual threads have no CPU time of their
 * own and are not looked at.
 */
public final class BusyThreads {

    /**
     * A thread that used at least this much of one core over a whole window counts as busy. Not near
     * 100: a loop that never waits gets a fraction of a core on a loaded machine (about 40 % here, at a
     * load of five on two cores); a thread that mostly waits uses next to none.
     */
    static final int BUSY_PERCENT = 25;
    /** Frames shown per listed thread. */
    static final int TOP_FRAMES = 5;
    /** At most this many threads are listed. */
    static final int MAX_LISTED = 32;

    /**
     * One busy thread outside any unit.
     *
     * @param cpuPercent CPU over the last window, in percent of one core
     * @param busyNanos how long it has been busy (whole windows)
     * @param suggestedEntry {@code Class#method} of its outermost frame outside the JDK: the
     *     {@code entry=} that would make its work a watched unit; null when every frame is the JDK's
     */
    public record Busy(long threadId, String name, int cpuPercent, long busyNanos, List<String> topFrames,
                       String suggestedEntry) {
    }

    /** Where CPU times and stacks come from: the JVM's, or a test's. */
    interface Source {
        /** The live platform threads: id to name. */
        Map<Long, String> threads();

        /** CPU time of each thread, in nanoseconds, -1 where unknown. */
        long[] cpuNanos(long[] ids);

        StackTraceElement[] stack(long id);
    }

    private final Source source;
    private long lookedAt;
    private boolean looked;
    private Map<Long, Long> lastCpu = Map.of();
    private final Map<Long, Long> busySince = new HashMap<>();
    private final Map<Long, Busy> listed = new LinkedHashMap<>();
    private volatile List<Busy> published = List.of();

    BusyThreads(Source source) {
        this.source = source;
    }

    /** Over this JVM's threads, or null when it cannot measure thread CPU time. */
    public static BusyThreads platform(AgentPauses pauses) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return null;
        }
        LongFunction<StackTraceElement[]> stackOf = id -> {
            Thread t = LiveThreads.find(id);
            return t == null ? new StackTraceElement[0] : pauses.measure(AgentPauses.Kind.STACKS, t::getStackTrace);
        };
        return new BusyThreads(new Source() {
            @Override
            public Map<Long, String> threads() {
                Map<Long, String> ids = new LinkedHashMap<>();
                for (Thread t : LiveThreads.platformThreads()) {
                    ids.put(t.getId(), t.getName());
                }
                return ids;
            }

            @Override
            public long[] cpuNanos(long[] ids) {
                if (mx instanceof com.sun.management.ThreadMXBean bulk) {
                    return bulk.getThreadCpuTime(ids);
                }
                return Arrays.stream(ids).map(mx::getThreadCpuTime).toArray();
            }

            @Override
            public StackTraceElement[] stack(long id) {
                return stackOf.apply(id);
            }
        });
    }

    /**
     * Looks again once a window has passed since the last look (called every pass; between looks it
     * costs nothing).
     *
     * @param watched the threads in a unit now (judged by the rules: not a blind spot)
     * @return the busy threads outside any unit, as of the last look
     */
    public List<Busy> update(long nowNanos, long windowNanos, Set<Long> watched) {
        if (!due(nowNanos, windowNanos)) {
            return published;
        }
        Map<Long, String> threads = source.threads();
        long[] ids = threads.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] cpu = source.cpuNanos(ids);
        Map<Long, Long> now = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
                now.put(ids[i], cpu[i]);
            }
        }
        if (looked) {
            long elapsed = nowNanos - lookedAt;
            for (Map.Entry<Long, Long> e : now.entrySet()) {
                long id = e.getKey();
                Long before = lastCpu.get(id);
                boolean busy = before != null && (e.getValue() - before) * 100 >= elapsed * BUSY_PERCENT
                        && !watched.contains(id) && !AgentThreads.isAgentThread(id);
                if (!busy) {
                    busySince.remove(id);
                    listed.remove(id);
                    continue;
                }
                long since = busySince.computeIfAbsent(id, k -> lookedAt);
                int percent = (int) Math.min(999, (e.getValue() - before) * 100 / Math.max(1, elapsed));
                Busy known = listed.get(id);
                if (known != null) {
                    listed.put(id, new Busy(id, known.name(), percent, nowNanos - since, known.topFrames(),
                            known.suggestedEntry()));
                } else if (listed.size() < MAX_LISTED) {
                    StackTraceElement[] stack = source.stack(id);
                    listed.put(id, new Busy(id, threads.get(id), percent, nowNanos - since, top(stack), suggestedEntry(stack)));
                }
            }
            busySince.keySet().retainAll(now.keySet());
            listed.keySet().retainAll(now.keySet());
        }
        lastCpu = now;
        lookedAt = nowNanos;
        looked = true;
        published = List.copyOf(listed.values());
        return published;
    }

    /** Whether a window has passed since the last look: a pass need not gather what a look needs before. */
    public boolean due(long nowNanos, long windowNanos) {
        return !looked || nowNanos - lookedAt >= windowNanos;
    }

    /** The busy threads as of the last look (any thread: the status views read it). */
    public List<Busy> busy() {
        return published;
    }

    private static List<String> top(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < stack.length && i < TOP_FRAMES; i++) {
            frames.add(Frames.jstack(stack[i]));
        }
        return List.copyOf(frames);
    }

    /**
     * The outermost frame of a class outside the JDK (its run loop, as a rule): the method whose run
     * {@code entry=} would make a watched unit. Null when every frame is the JDK's.
     */
    static String suggestedEntry(StackTraceElement[] stack) {
        for (int i = stack.length - 1; i >= 0; i--) {
            String type = stack[i].getClassName();
            if (!isJdk(type) && !type.contains("$$Lambda") && !type.contains("$Lambda")) {
                return type + "#" + stack[i].getMethodName();
            }
        }
        return null;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("com.sun.");
    }
}
