package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.sample.LiveThreads;

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
                thread = LiveThreads.find(sample.threadId());
            }
            if (thread == null || !thread.isAlive()) {
                return false;
            }
            thread.interrupt();
            return true;
        };
    }
}
