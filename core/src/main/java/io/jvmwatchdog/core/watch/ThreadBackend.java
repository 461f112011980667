package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.core.base.AgentThreads;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The production {@link LoopBackend}: agent daemon threads, parked between turns. */
public final class ThreadBackend implements LoopBackend {

    private final ExecutorService sampler =
            Executors.newSingleThreadExecutor(r -> AgentThreads.newThread("watchdog-sampler", r));

    @Override
    public Loop start(String name, Consumer<Loop> body) {
        ThreadLoop loop = new ThreadLoop();
        Thread thread = AgentThreads.newThread(name, () -> body.accept(loop));
        loop.thread = thread;
        thread.start();
        return loop;
    }

    @Override
    public <T> T callWithDeadline(Supplier<T> call, long deadlineNanos, BooleanSupplier onOverrun) {
        Future<T> future = sampler.submit(call::get);
        try {
            while (true) {
                try {
                    return future.get(deadlineNanos, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (!onOverrun.getAsBoolean()) {
                        return future.get();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public boolean runBounded(String name, Runnable task, long boundNanos) {
        Thread thread = AgentThreads.newThread(name, task);
        thread.start();
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(boundNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private static final class ThreadLoop implements Loop {
        volatile Thread thread;
        private volatile boolean stop;

        @Override
        public boolean stopRequested() {
            return stop;
        }

        @Override
        public void sleepNanos(long nanos) {
            if (nanos > 0 && !stop) {
                LockSupport.parkNanos(this, nanos);
            }
        }

        @Override
        public void wake() {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void stop(long boundMillis) {
            stop = true;
            Thread t = thread;
            if (t == null || t == Thread.currentThread()) {
                return;
            }
            LockSupport.unpark(t);
            try {
                t.join(boundMillis);
                if (t.isAlive()) {
                    // Only a loop stuck waiting on a stuck sampler gets here. Interrupting earlier
                    // could cut a report in the middle of a write.
                    t.interrupt();
                    t.join(boundMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
