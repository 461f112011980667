package io.jvmwatchdog.core.base;

import io.jvmwatchdog.core.base.AgentThreads;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the agent's log lines go: file descriptor 2, written by a thread of its own, so that nothing
 * the application can hold ever blocks a report.
 *
 * <p>Why not {@code System.err}: a {@code PrintStream} has one lock, and an application thread
 * blocked writing to a full pipe holds it; writing there would stop the watchdog in the very hang it
 * should report. The sink writes to the raw descriptor instead, and only from its writer thread;
 * callers hand over bytes and return at once. When the descriptor itself blocks (a pipe nobody reads),
 * the queue fills up to its bound and what does not fit is dropped and counted; the count is said as
 * soon as the descriptor takes bytes again. A report that must not be lost is also written to the
 * events file and, with {@code dump-dir}, to a dump file: neither goes through here.
 */
public final class StderrSink extends OutputStream {

    /**
     * One write taking longer than this means stderr is clogged (a pipe nobody reads), not slow:
     * waiting for the rest is then pointless. A terminal or a log collector takes a chunk in far less.
     */
    static final long STALLED_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);

    /** Enough for a cut thread dump and several reports; beyond it, bytes are dropped. */
    static final int DEFAULT_CAPACITY_BYTES = 8 * 1024 * 1024;
    /**
     * What bulk output (a whole-JVM dump) leaves free for everything else: a report's summary and
     * sections, which must never be dropped because a dump filled the queue first.
     */
    static final int DEFAULT_RESERVE_BYTES = 2 * 1024 * 1024;

    private final OutputStream target;
    private final int capacityBytes;
    private final int reserveBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;        // guarded by lock
    private boolean writing;        // guarded by lock: the writer holds a chunk it took
    private long completedWrites;   // guarded by lock
    private long droppedBytes;      // guarded by lock
    private long droppedUnsaid;     // guarded by lock: dropped since the last note
    private Thread writer;          // guarded by lock

    /** The process's real stderr. */
    public static StderrSink forStandardError() {
        return new StderrSink(new FileOutputStream(FileDescriptor.err), DEFAULT_CAPACITY_BYTES, DEFAULT_RESERVE_BYTES);
    }

    StderrSink(OutputStream target, int capacityBytes, int reserveBytes) {
        this.target = target;
        this.capacityBytes = capacityBytes;
        this.reserveBytes = reserveBytes;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Queues a copy of the bytes, or drops them when the queue is full; never blocks on the target. */
    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (length > 0) {
            enqueue(java.util.Arrays.copyOfRange(bytes, offset, offset + length), capacityBytes);
        }
    }

    /**
     * Queues bulk output (a piece of a whole-JVM dump) only if it leaves the reserve free for reports;
     * else drops and counts it.
     *
     * @return whether it was queued: the caller stops offering the rest of that output when not
     */
    public boolean offerBulk(byte[] chunk) {
        return chunk.length == 0 || enqueue(chunk, capacityBytes - reserveBytes);
    }

    private boolean enqueue(byte[] chunk, int limit) {
        lock.lock();
        try {
            if (queuedBytes + chunk.length > limit) {
                droppedBytes += chunk.length;
                droppedUnsaid += chunk.length;
                return false;
            }
            queue.addLast(chunk);
            queuedBytes += chunk.length;
            startWriterIfNeeded();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts bytes of bulk output that were never offered because an earlier piece was dropped. */
    public void dropped(long bytes) {
        lock.lock();
        try {
            droppedBytes += bytes;
            droppedUnsaid += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing to do: the writer writes through; use {@link #awaitDrained} to wait for it. */
    @Override
    public void flush() {
    }

    /**
     * Waits until everything queued is written, at most {@code boundNanos}; gives up sooner when no
     * write completes for {@link #STALLED_NANOS} of the wait (a clogged stderr).
     *
     * @return whether it was all written
     */
    public boolean awaitDrained(long boundNanos) {
        long deadline = System.nanoTime() + boundNanos;
        lock.lock();
        try {
            long seen = completedWrites;
            long progressAt = System.nanoTime();
            while (!queue.isEmpty() || writing) {
                long now = System.nanoTime();
                if (completedWrites != seen) {
                    seen = completedWrites;
                    progressAt = now;
                }
                long left = Math.min(deadline - now, progressAt + STALLED_NANOS - now);
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes dropped so far because the target did not take them in time. */
    public long droppedBytes() {
        lock.lock();
        try {
            return droppedBytes;
        } finally {
            lock.unlock();
        }
    }

    private void startWriterIfNeeded() {
        if (writer == null) {
            writer = AgentThreads.newThread("jvm-watchdog-stderr", this::drain);
            writer.start();
        }
    }

    private void drain() {
        while (true) {
            byte[] chunk;
            long dropped;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                chunk = queue.pollFirst();
                queuedBytes -= chunk.length;
                writing = true;
                dropped = droppedUnsaid;
                droppedUnsaid = 0;
            } finally {
                lock.unlock();
            }
            try {
                if (dropped > 0) {
                    target.write(("JVM Watchdog: " + dropped + " bytes of its reports were dropped: stderr did not"
                            + " take them in time (the events file and dump-dir keep every report)\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                target.write(chunk);
                target.flush();
            } catch (IOException | RuntimeException e) {
                // stderr is closed or broken: nothing else to write to; what was taken is lost.
            } finally {
                lock.lock();
                try {
                    writing = false;
                    completedWrites++;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
