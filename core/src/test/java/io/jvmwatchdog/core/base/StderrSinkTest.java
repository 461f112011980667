package io.jvmwatchdog.core.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's stderr never blocks its callers, even when stderr itself blocks. */
class StderrSinkTest {

    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);

    /** Stands for a pipe nobody reads until {@link #release}: every write waits. */
    private static final class BlockedPipe extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                written.write(b, off, len);
            }
        }

        synchronized String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesReturnAtOnceWhileStderrBlocks_whatDoesNotFitIsDroppedAndSaidLater() throws Exception {
        BlockedPipe pipe = new BlockedPipe();
        StderrSink sink = new StderrSink(pipe, 10, 0);
        sink.write(bytes("first\n"), 0, 6);                  // taken by the writer, which then blocks
        assertTrue(pipe.entered.await(10, TimeUnit.SECONDS));
        sink.write(bytes("second\n"), 0, 7);                 // queued: 7 of 10 bytes
        sink.write(bytes("third\n"), 0, 6);                  // does not fit: dropped, counted
        assertEquals(6, sink.droppedBytes());
        assertFalse(sink.awaitDrained(TimeUnit.MILLISECONDS.toNanos(50)), "stderr still blocks");
        long before = System.nanoTime();
        assertFalse(sink.awaitDrained(BOUND), "a clogged stderr is not waited for");
        assertTrue(System.nanoTime() - before < BOUND / 2, "it gave up once the write had stalled, not at the bound");

        pipe.release.countDown();
        assertTrue(sink.awaitDrained(BOUND));
        assertEquals("first\nJVM Watchdog: 6 bytes of its reports were dropped: stderr did not take them in time"
                + " (the events file and dump-dir keep every report)\nsecond\n", pipe.text());
    }

    @Test
    void everythingQueuedIsWrittenInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StderrSink sink = new StderrSink(out, StderrSink.DEFAULT_CAPACITY_BYTES, StderrSink.DEFAULT_RESERVE_BYTES);
        for (int i = 0; i < 1000; i++) {
            byte[] line = bytes("line " + i + "\n");
            sink.write(line, 0, line.length);
        }
        assertTrue(sink.awaitDrained(BOUND));
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        assertTrue(text.startsWith("line 0\nline 1\n"), text.substring(0, 20));
        assertTrue(text.endsWith("line 998\nline 999\n"));
        assertEquals(0, sink.droppedBytes());
    }

    @Test
    void bulkOutputLeavesTheReserveFree_soAReportAfterADumpStillGetsIn() throws Exception {
        BlockedPipe pipe = new BlockedPipe();
        StderrSink sink = new StderrSink(pipe, 20, 8);
        sink.write(bytes("head\n"), 0, 5);                    // taken by the writer, which then blocks
        assertTrue(pipe.entered.await(10, TimeUnit.SECONDS));
        assertTrue(sink.offerBulk(bytes("dump-1\n")));         // 7 of the 12 bulk may use
        assertFalse(sink.offerBulk(bytes("dump-2\n")), "past the bulk limit: refused");
        sink.dropped(100);                                     // the rest of that dump, never offered
        sink.write(bytes("summary\n"), 0, 8);                  // a report: the reserve takes it
        assertEquals(107, sink.droppedBytes());

        pipe.release.countDown();
        assertTrue(sink.awaitDrained(BOUND));
        assertEquals("head\nJVM Watchdog: 107 bytes of its reports were dropped: stderr did not take them in time"
                + " (the events file and dump-dir keep every report)\ndump-1\nsummary\n", pipe.text());
    }
}
