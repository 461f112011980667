package io.jvmwatchdog.core.watch;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.core.jvm.LiveThreads;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.WaitKind;
import java.util.Set;

/**
 * Interrupts a stuck thread, for {@code interrupt-after}, unless the interrupt would destroy what the
 * thread is using.
 *
 * <p>{@code Thread.interrupt()} does more than set a flag for a thread inside an interruptible
 * channel's I/O ({@code SocketChannel}, {@code FileChannel}, a pipe, {@code Files.newInputStream}...):
 * it closes the channel, so the application loses a connection or an open file it may share with
 * other threads. On Java 21+ an interrupt also closes the socket a virtual thread is blocked on in
 * {@code java.net.Socket} I/O. Such a thread is spared, and the log says why; an interrupt of a thread
 * in {@code Selector.select} only wakes the selector, and is made.
 */
@FunctionalInterface
public interface Interrupter {

    /** What came of one interrupt. */
    record Outcome(boolean interrupted, String sparedBecause) {
        static final Outcome INTERRUPTED = new Outcome(true, null);
        /** The thread ended meanwhile: nothing to interrupt, nothing to say. */
        static final Outcome ENDED = new Outcome(false, null);

        static Outcome spared(String because) {
            return new Outcome(false, because);
        }
    }

    Outcome interrupt(ThreadSample thread);

    /** Socket waits that an interrupt of a virtual thread ends by closing the socket (Java 21+). */
    Set<WaitKind> VIRTUAL_SOCKET_WAITS = Set.of(WaitKind.SOCKET_READ, WaitKind.SOCKET_WRITE, WaitKind.SOCKET_CONNECT,
            WaitKind.ACCEPT, WaitKind.DATAGRAM_RECEIVE);

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
                return Outcome.ENDED;
            }
            String spare = whySpare(thread, sample);
            if (spare != null) {
                return Outcome.spared(spare);
            }
            thread.interrupt();
            return Outcome.INTERRUPTED;
        };
    }

    /** Why an interrupt of this thread would do harm, or null when it would only set its flag (or wake a selector). */
    static String whySpare(Thread thread, ThreadSample sample) {
        if (sample.virtual() && VIRTUAL_SOCKET_WAITS.contains(sample.waitKind())) {
            return "it is a virtual thread in " + sample.waitsOn() + ", and an interrupt would close the socket";
        }
        String io = JdkInternals.interruptibleIo(thread);
        if (io != null && !io.startsWith("java.nio.channels.spi.AbstractSelector")) {
            return "it is in interruptible channel I/O" + (sample.waitCall() == null ? "" : " (" + sample.waitCall() + ")")
                    + ", and an interrupt would close the channel";
        }
        return null;
    }
}
