package io.jvmwatchdog.core.sample;

import java.util.HashSet;
import java.util.Set;

/**
 * The live platform threads, as the thread groups list them: a copy of references, with no VM
 * operation and no safepoint (unlike {@code Thread.getAllStackTraces()}). Virtual threads are not
 * listed. One instance per sampler thread: the buffer is reused between passes.
 */
final class LiveThreads {

    private Thread[] buffer = new Thread[256];

    /**
     * Ids of the threads blocked entering a monitor right now. {@link Thread#getState()} reads the
     * thread's status field, so a scan of ten thousand threads costs microseconds; only the threads
     * found here are then asked about through ThreadMXBean.
     */
    Set<Long> blockedOnMonitorEntry() {
        int count = enumerate();
        Set<Long> blocked = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Thread t = buffer[i];
            buffer[i] = null; // hold no thread past the scan
            if (t.getState() == Thread.State.BLOCKED) {
                blocked.add(t.getId());
            }
        }
        return blocked;
    }

    private int enumerate() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        while (true) {
            int wanted = root.activeCount() + 64;
            if (buffer.length < wanted) {
                buffer = new Thread[Math.max(wanted, buffer.length * 2)];
            }
            int count = root.enumerate(buffer, true);
            if (count < buffer.length) {
                return count;
            }
            buffer = new Thread[buffer.length * 2]; // threads started meanwhile filled it: again
        }
    }
}
