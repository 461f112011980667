package io.jvmwatchdog.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.function.Function;

/**
 * Everything a child wrote on one of its streams, filled by a daemon thread as it arrives. Waiting is
 * on this object's monitor with a deadline, woken by each new chunk and by end of stream: no polling
 * sleeps.
 */
final class OutputBuffer {

    private final String name;
    private final StringBuilder text = new StringBuilder();
    private boolean closed;
    private final Thread drainer;

    private OutputBuffer(String name, InputStream in, Charset charset) {
        this.name = name;
        this.drainer = new Thread(() -> drain(in, charset), "drain-" + name);
        this.drainer.setDaemon(true);
    }

    static OutputBuffer drain(String name, InputStream in, Charset charset) {
        OutputBuffer b = new OutputBuffer(name, in, charset);
        b.drainer.start();
        return b;
    }

    private void drain(InputStream in, Charset charset) {
        char[] buf = new char[8192];
        try (Reader r = new InputStreamReader(in, charset)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                append(buf, n);
            }
        } catch (IOException e) {
            // the stream was closed under us (the process was destroyed): what we have is all there is
        } finally {
            markClosed();
        }
    }

    private synchronized void append(char[] buf, int n) {
        text.append(buf, 0, n);
        notifyAll();
    }

    private synchronized void markClosed() {
        closed = true;
        notifyAll();
    }

    String name() {
        return name;
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Applies {@code probe} to the text each time it grows until it answers non-null, the stream ends
     * (one last look) or the deadline passes.
     *
     * @return the probe's answer, or null on deadline or end of stream without an answer
     */
    synchronized <T> T await(Function<String, T> probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T answer = probe.apply(text.toString());
            if (answer != null) {
                return answer;
            }
            if (closed) {
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            long millis = Math.max(1, left / 1_000_000);
            wait(millis);
        }
    }

    /** Waits for the end of the stream (the drainer has read everything). */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return await(t -> closed ? Boolean.TRUE : null, timeout) != null || isClosed();
    }
}
