package io.jvmwatchdog.core.sample;

import io.jvmwatchdog.boot.ThreadState;
import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.watch.AgentThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the watched threads: the boot registry says which threads are inside a span and their
 * transition counters; one {@code getThreadInfo(ids, 0)} call adds the JVM's state and its
 * blocked/waited counters for exactly those threads. With depth 0, HotSpot answers without a
 * safepoint, so a pass never stops the world; threads outside any span cost nothing.
 */
public final class JvmThreadSampler implements ThreadSampler {

    private final ThreadMXBean threads;

    public JvmThreadSampler() {
        this(ManagementFactory.getThreadMXBean());
    }

    JvmThreadSampler(ThreadMXBean threads) {
        this.threads = threads;
    }

    @Override
    public List<ThreadSample> sample() {
        ThreadStates.purgeDead();
        List<ThreadState> watched = new ArrayList<>();
        for (ThreadState s = ThreadStates.head(); s != null; s = s.next()) {
            if (s.isWatched() && !AgentThreads.isAgentThread(s.threadId())) {
                watched.add(s);
            }
        }
        if (watched.isEmpty()) {
            return List.of();
        }
        long[] ids = new long[watched.size()];
        // Read the counters before the JVM state: a transition racing with this pass then shows as a
        // change in the next one instead of being missed.
        int[] transitions = new int[ids.length];
        UnitKind[] units = new UnitKind[ids.length];
        String[] entries = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ThreadState s = watched.get(i);
            ids[i] = s.threadId();
            transitions[i] = s.transitions();
            units[i] = s.isBudgeted() ? UnitKind.BUDGETED : UnitKind.TASK;
            entries[i] = s.entry();
        }
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        List<ThreadSample> samples = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            ThreadInfo info = infos[i];
            if (info == null) {
                continue; // ended since the walk, or a virtual thread (not listed by ThreadMXBean)
            }
            samples.add(new ThreadSample(ids[i], info.getThreadName(), info.isDaemon(), false, units[i],
                    entries[i], transitions[i], info.getThreadState(), info.getBlockedCount(),
                    info.getWaitedCount()));
        }
        return samples;
    }
}
