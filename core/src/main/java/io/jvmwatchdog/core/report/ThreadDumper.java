package io.jvmwatchdog.core.report;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Takes a full thread dump with stacks, locked monitors and ownable synchronizers. This stops the
 * world (a {@code VM_ThreadDump} safepoint), so it is only called for an incident, never per pass.
 */
@FunctionalInterface
public interface ThreadDumper {
    ThreadInfo[] dumpAll();

    static ThreadDumper platform() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return () -> mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
    }
}
