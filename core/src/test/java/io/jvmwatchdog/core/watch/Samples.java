package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;

/** Builds samples for tests. */
public final class Samples {
    private Samples() {
    }

    public static ThreadSample task(long id, String name, Thread.State state, int transitions) {
        return new ThreadSample(id, name, false, false, UnitKind.TASK, "java.util.concurrent.ThreadPoolExecutor.runWorker",
                transitions, state, 0, 0);
    }

    public static ThreadSample budgeted(long id, String name, Thread.State state, int transitions) {
        return new ThreadSample(id, name, false, false, UnitKind.BUDGETED, "com.example.Worker.process",
                transitions, state, 0, 0);
    }

    public static ThreadSample withCounts(ThreadSample s, long blocked, long waited) {
        return new ThreadSample(s.threadId(), s.name(), s.daemon(), s.virtual(), s.unit(), s.entry(), s.transitions(),
                s.jvmState(), blocked, waited);
    }
}
