package io.jvmwatchdog.core.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A backend on fake time that runs the loops' bodies themselves: each body runs when the fake ticker
 * reaches the time it asked to sleep until (or it is woken), and {@link #advance} moves the ticker
 * from one such time to the next. So the loop, the startup loop and the shutdown deadline run as in
 * production, with no sleep and no race: bodies run on threads of their own, but one at a time, handed
 * the turn by the test's thread and handing it back when they sleep or end.
 */
final class SimulatedBackend extends ManualBackend implements AutoCloseable {

    private final FakeTicker ticker;
    private final List<SimLoop> loops = new ArrayList<>();

    SimulatedBackend(FakeTicker ticker) {
        super(ticker);
        this.ticker = ticker;
    }

    private final class SimLoop implements Loop {
        final String name;
        final Consumer<Loop> body;
        private final Semaphore turn = new Semaphore(0);
        private final Semaphore handedBack = new Semaphore(0);
        volatile long wakeAt;
        volatile boolean due = true; // a body starts at once, as a new thread would
        volatile boolean stop;
        volatile boolean finished;
        Thread thread;

        SimLoop(String name, Consumer<Loop> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public boolean stopRequested() {
            return stop;
        }

        /** On the body's thread: hand the turn back until the ticker reaches the wake time. */
        @Override
        public void sleepNanos(long nanos) {
            if (nanos <= 0 || stop) {
                return;
            }
            wakeAt = ticker.read() + nanos;
            due = false;
            handedBack.release();
            turn.acquireUninterruptibly();
        }

        @Override
        public void wake() {
            due = true;
        }

        @Override
        public void stop(long boundMillis) {
            stop = true;
            due = true;
            stopped.add(name);
            if (Thread.currentThread() != thread) {
                runUntilItSleepsOrEnds(this); // it sees the request and returns, as the real loop does
            }
        }

        boolean dueBy(long now) {
            return !finished && (due || now - wakeAt >= 0);
        }
    }

    @Override
    public Loop start(String name, Consumer<Loop> body) {
        SimLoop loop = new SimLoop(name, body);
        synchronized (loops) {
            loops.add(loop);
            started.add(name);
        }
        return loop;
    }

    private void runUntilItSleepsOrEnds(SimLoop loop) {
        if (loop.finished) {
            return;
        }
        if (loop.thread == null) {
            loop.thread = new Thread(() -> {
                loop.turn.acquireUninterruptibly();
                try {
                    loop.body.accept(loop);
                } finally {
                    loop.finished = true;
                    loop.handedBack.release();
                }
            }, "simulated-" + loop.name);
            loop.thread.setDaemon(true);
            loop.thread.start();
        }
        loop.due = false;
        loop.turn.release();
        loop.handedBack.acquireUninterruptibly();
    }

    /** Runs every loop due now, one at a time, until none is. */
    void runDue() {
        for (SimLoop next = nextDue(ticker.read()); next != null; next = nextDue(ticker.read())) {
            runUntilItSleepsOrEnds(next);
        }
    }

    private SimLoop nextDue(long now) {
        synchronized (loops) {
            for (SimLoop l : loops) {
                if (l.dueBy(now)) {
                    return l;
                }
            }
            return null;
        }
    }

    /** Moves the ticker forward by {@code d}, stopping at each wake time on the way to run what is due. */
    void advance(Duration d) {
        long target = ticker.read() + d.toNanos();
        runDue();
        while (true) {
            long now = ticker.read();
            long next = target;
            synchronized (loops) {
                for (SimLoop l : loops) {
                    if (!l.finished && !l.due && l.wakeAt - now > 0 && l.wakeAt - next < 0) {
                        next = l.wakeAt;
                    }
                }
            }
            ticker.advance(Duration.ofNanos(next - now));
            runDue();
            if (next == target) {
                return;
            }
        }
    }

    /** Whether a loop of that name has started and not ended. */
    boolean running(String name) {
        synchronized (loops) {
            return loops.stream().anyMatch(l -> l.name.equals(name) && !l.finished);
        }
    }

    /** Ends every loop still running, so no thread outlives the test. */
    @Override
    public void close() {
        List<SimLoop> all;
        synchronized (loops) {
            all = new ArrayList<>(loops);
        }
        for (SimLoop l : all) {
            if (!l.finished && l.thread != null) {
                l.stop(0);
            }
        }
    }
}
