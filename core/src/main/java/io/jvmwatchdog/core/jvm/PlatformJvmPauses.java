package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.PauseTotals;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link JvmPauses} from the platform's beans, and from HotSpot's own safepoint counters where the
 * agent could reach them.
 *
 * <p>Safepoints are the better measure: every stop of the world is one (a collection, a
 * deoptimization, a class redefinition, a thread dump), and HotSpot counts the time to reach them
 * too. They are read from {@code sun.management.HotspotRuntimeMBean} (the counters behind
 * {@code jcmd PerfCounter.print}'s {@code sun.rt.safepointTime}), in a package the agent exports to
 * itself at install; without {@code UsePerfData}, on another JVM, or when the export was refused, the
 * stop-the-world collectors' times stand in.
 */
final class PlatformJvmPauses implements JvmPauses {

    private final List<GarbageCollectorMXBean> collectors;
    private final Object hotspotRuntime;
    private final Method safepointMillis;
    private final Method safepointSyncMillis;
    private final Method safepointCount;
    private final Set<String> heapPools = new HashSet<>();
    private final boolean debuggable;

    PlatformJvmPauses() {
        collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().filter(GcPauses::stopsTheWorld).toList();
        Object runtime = null;
        Method total = null;
        Method sync = null;
        Method count = null;
        try {
            Class<?> api = Class.forName("sun.management.HotspotRuntimeMBean");
            runtime = Class.forName("sun.management.ManagementFactoryHelper").getMethod("getHotspotRuntimeMBean").invoke(null);
            total = api.getMethod("getTotalSafepointTime");
            sync = api.getMethod("getSafepointSyncTime");
            count = api.getMethod("getSafepointCount");
            if ((long) count.invoke(runtime) < 0) { // -XX:-UsePerfData: the counters are not kept
                runtime = null;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            runtime = null; // not exported to us, or not HotSpot: the collectors stand in
        }
        hotspotRuntime = runtime;
        safepointMillis = total;
        safepointSyncMillis = sync;
        safepointCount = count;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        debuggable = ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a ->
                a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || (a.startsWith("-agentpath:") && a.contains("jdwp")));
    }

    /** Whether the safepoint counters are read (else the collectors' times stand in). */
    boolean countsSafepoints() {
        return hotspotRuntime != null;
    }

    @Override
    public PauseTotals totals() {
        List<JvmStall.Collector> list = new ArrayList<>(collectors.size());
        long gcMillis = 0;
        for (GarbageCollectorMXBean bean : collectors) {
            long millis = Math.max(0, bean.getCollectionTime());
            gcMillis += millis;
            list.add(new JvmStall.Collector(bean.getName(), Math.max(0, bean.getCollectionCount()), millis));
        }
        long stoppedMillis = gcMillis;
        long safepoints = -1;
        if (hotspotRuntime != null) {
            try {
                long sp = (long) safepointMillis.invoke(hotspotRuntime) + (long) safepointSyncMillis.invoke(hotspotRuntime);
                // Both totals only grow, so their maximum does too; a collection is a safepoint.
                stoppedMillis = Math.max(stoppedMillis, sp);
                safepoints = (long) safepointCount.invoke(hotspotRuntime);
            } catch (ReflectiveOperationException | RuntimeException e) {
                safepoints = -1;
            }
        }
        return new PauseTotals(TimeUnit.MILLISECONDS.toNanos(stoppedMillis), safepoints, list);
    }

    @Override
    public int heapPercentAfterGc() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        com.sun.management.GcInfo last = null;
        try {
            for (GarbageCollectorMXBean bean : collectors) {
                if (bean instanceof com.sun.management.GarbageCollectorMXBean sun) {
                    com.sun.management.GcInfo info = sun.getLastGcInfo();
                    if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
                        last = info;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return -1; // no jdk.management: unknown
        }
        if (last == null || maxHeap <= 0 || maxHeap == Long.MAX_VALUE) {
            return -1;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : last.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return (int) Math.min(100, used * 100 / maxHeap);
    }

    @Override
    public boolean debuggerMaySuspend() {
        return debuggable;
    }
}
