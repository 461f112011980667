package io.jvmwatchdog.core.sample;

import io.jvmwatchdog.core.model.ThreadSample;
import java.util.List;

/** Reads the state of every watched thread, for one pass. Must not stop the world. */
@FunctionalInterface
public interface ThreadSampler {
    List<ThreadSample> sample();
}
