package io.jvmwatchdog.core.jvm;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Time the JVM spent in stop-the-world collections since the last call: during it no thread could
 * make progress, so it must not count towards anyone's timeout. Collectors' beans that count
 * concurrent work ("G1 Concurrent GC", "ZGC Cycles", "Shenandoah Cycles") are left out: the
 * application runs during that time.
 */
public final class GcPauses implements LongSupplier {

    private final List<GarbageCollectorMXBean> beans;
    private long lastTotalMillis;

    public GcPauses() {
        this(ManagementFactory.getGarbageCollectorMXBeans());
    }

    GcPauses(List<GarbageCollectorMXBean> all) {
        this.beans = all.stream().filter(GcPauses::stopsTheWorld).toList();
        this.lastTotalMillis = totalMillis();
    }

    static boolean stopsTheWorld(GarbageCollectorMXBean bean) {
        String name = bean.getName();
        return !name.contains("Concurrent") && !name.endsWith("Cycles");
    }

    /** Nanoseconds of stop-the-world collection since the previous call (the first call: since creation). */
    @Override
    public long getAsLong() {
        long total = totalMillis();
        long delta = Math.max(0, total - lastTotalMillis);
        lastTotalMillis = total;
        return TimeUnit.MILLISECONDS.toNanos(delta);
    }

    private long totalMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean bean : beans) {
            long t = bean.getCollectionTime();
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
