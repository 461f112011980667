package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.model.ThreadSample;

/** Interrupts a stuck thread, for {@code interrupt-after}. */
@FunctionalInterface
public interface Interrupter {

    /** Interrupts the thread the sample is of; false if it has ended meanwhile. */
    boolean interrupt(ThreadSample thread);

    /**
     * The JVM's: a virtual thread through the object its sample holds, a platform thread found by id
     * in the thread groups' listing (a copy of references: no safepoint).
     */
    static Interrupter platform() {
        return sample -> {
            Thread thread = sample.virtualThread();
            if (thread == null) {
                thread = find(sample.threadId());
            }
            if (thread == null || !thread.isAlive()) {
                return false;
            }
            thread.interrupt();
            return true;
        };
    }

    private static Thread find(long id) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (threads[i].getId() == id) {
                return threads[i];
            }
        }
        return null;
    }
}
