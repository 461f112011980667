package io.jvmwatchdog.core.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A backend that runs no thread: loops are recorded, not run, so the test drives the watchdog's turns
 * itself. Calls with a deadline run inline; if the fake ticker moved past the deadline meanwhile (a
 * sampler that "took" too long), the overrun callback runs, as the real backend would run it.
 */
class ManualBackend implements LoopBackend {
    private final Ticker ticker;
    final List<String> started = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    int wakes;

    ManualBackend(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public Loop start(String name, Consumer<Loop> body) {
        started.add(name);
        return new Loop() {
            private boolean stop;

            @Override
            public boolean stopRequested() {
                return stop;
            }

            @Override
            public void sleepNanos(long nanos) {
            }

            @Override
            public void wake() {
                wakes++;
            }

            @Override
            public void stop(long boundMillis) {
                stop = true;
                stopped.add(name);
            }
        };
    }

    @Override
    public <T> T callWithDeadline(Supplier<T> call, long deadlineNanos, BooleanSupplier onOverrun) {
        long start = ticker.read();
        T result = call.get();
        // As the real backend: ask once per deadline that passed, until an overrun is not explained.
        for (long waited = deadlineNanos; ticker.read() - start >= waited; waited += deadlineNanos) {
            if (!onOverrun.getAsBoolean()) {
                break;
            }
        }
        return result;
    }

    @Override
    public boolean runBounded(String name, Runnable task, long boundNanos) {
        task.run();
        return true;
    }
}
