package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.core.model.ThreadSample;
import java.util.List;

/** Reads the state of every watched thread, for one pass. Must not stop the world. */
@FunctionalInterface
public interface ThreadSampler {
    List<ThreadSample> sample();

    /**
     * Between passes, when the registry grew by many threads since the last pass (heavy churn):
     * releases the state of threads that ended, so that it does not wait for the next pass. Never at
     * the same time as {@link #sample()}.
     */
    default void releaseEnded() {
    }
}
