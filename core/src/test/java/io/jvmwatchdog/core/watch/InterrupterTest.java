package io.jvmwatchdog.core.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** interrupt-after spares a thread whose interrupt would close the application's channel. */
class InterrupterTest {

    @BeforeAll
    static void readTheFields() {
        assertEquals(4, JdkInternals.open(), "the packages are opened to the tests (core/pom.xml), as the agent opens them");
    }

    private static ThreadSample sample(Thread t, WaitKind wait, String call, boolean virtual) {
        return new ThreadSample(t.getId(), t.getName(), true, virtual ? t : null, UnitKind.TASK,
                "java.util.concurrent.ThreadPoolExecutor.runWorker", null, 1, wait, call, t.getState(), 0, 0, null, -1, null, false);
    }

    @Test
    void aThreadInChannelIo_isSpared_oneInSelect_orParked_isNot() throws Exception {
        Pipe pipe = Pipe.open();
        Selector selector = Selector.open();
        Thread reader = daemon("pipe-reader", () -> {
            try {
                pipe.source().read(ByteBuffer.allocate(1));
            } catch (IOException closed) {
                // at the end of the test
            }
        });
        Thread selecting = daemon("selecting", () -> {
            try {
                selector.select();
            } catch (IOException closed) {
                // at the end of the test
            }
        });
        Thread parked = daemon("parked", () -> java.util.concurrent.locks.LockSupport.park());
        try {
            await(() -> JdkInternals.interruptibleIo(reader) != null && JdkInternals.interruptibleIo(selecting) != null
                    && parked.getState() == Thread.State.WAITING);
            String spared = Interrupter.whySpare(reader, sample(reader, WaitKind.FILE_IO, "sun.nio.ch.SourceChannelImpl.read", false));
            assertEquals("it is in interruptible channel I/O (sun.nio.ch.SourceChannelImpl.read), and an interrupt would close"
                    + " the channel", spared);
            assertNull(Interrupter.whySpare(selecting, sample(selecting, WaitKind.SELECT, "sun.nio.ch.SelectorImpl.select", false)),
                    "an interrupt only wakes a selector");
            assertNull(Interrupter.whySpare(parked, sample(parked, WaitKind.PARK, "java.util.concurrent.locks.LockSupport.park", false)));
            assertTrue(Interrupter.platform().interrupt(sample(selecting, WaitKind.SELECT, null, false)).interrupted());
            assertTrue(pipe.source().isOpen() && pipe.sink().isOpen(), "the reader's channel was never touched");
        } finally {
            pipe.sink().close();
            pipe.source().close();
            selector.close();
            java.util.concurrent.locks.LockSupport.unpark(parked);
        }
    }

    @Test
    void aVirtualThreadInASocketWait_isSpared() {
        // Java 17 has no virtual threads: any thread object stands in (only "virtual" and the wait matter here).
        Thread t = Thread.currentThread();
        assertEquals("it is a virtual thread in socket read (sun.nio.ch.NioSocketImpl.read), and an interrupt would close the socket",
                Interrupter.whySpare(t, sample(t, WaitKind.SOCKET_READ, "sun.nio.ch.NioSocketImpl.read", true)));
        assertNull(Interrupter.whySpare(t, sample(t, WaitKind.PARK, "java.util.concurrent.locks.LockSupport.park", true)));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "the threads never got into their calls");
            Thread.onSpinWait(); // real threads getting into blocking calls, with a deadline
        }
    }
}
