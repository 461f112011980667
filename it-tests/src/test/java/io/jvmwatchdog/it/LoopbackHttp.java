package io.jvmwatchdog.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of the server tests: HTTP/1.1 GETs over loopback. Every connect and read has a
 * timeout, so a server that hangs can never hang a test thread.
 */
final class LoopbackHttp {

    /** Bounds one connect or one read: generous, since the servers share a small machine. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    private LoopbackHttp() {
    }

    /** A status and a body. */
    record Response(int status, String body) {
    }

    /**
     * Sends {@code GET target} on a new connection and leaves it there: for a route that never
     * answers. The caller keeps the socket open for the rest of the test (so the server sees no
     * disconnect) and closes it at the end; nothing ever reads from it.
     */
    static Socket sendAndLeave(int port, String target) throws IOException {
        Socket s = connect(port);
        try {
            write(s, target);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One keep-alive connection: requests one after another, each answer read whole. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Connection(int port) throws IOException {
            this.socket = connect(port);
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        Response get(String target) throws IOException {
            write(socket, target);
            return read(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Several keep-alive connections, each of which has served one {@code GET /ok}. */
    static final class Connections implements AutoCloseable {
        private final List<Connection> list = new ArrayList<>();

        static Connections openServed(int port, int count, String okTarget) throws IOException {
            Connections c = new Connections();
            try {
                for (int i = 0; i < count; i++) {
                    Connection one = new Connection(port);
                    c.list.add(one);
                    expectOk(one.get(okTarget), "request " + (i + 1) + " of " + count + " opening keep-alive connections");
                }
                return c;
            } catch (IOException | RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }

        /** Sends {@code target} on each connection again: they are still open and served. */
        void getOkOnEach(String target, String context) throws IOException {
            for (int i = 0; i < list.size(); i++) {
                expectOk(list.get(i).get(target), context + ", connection " + (i + 1) + " of " + list.size());
            }
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (Connection c : list) {
                try {
                    c.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    static void expectOk(Response r, String context) {
        if (r.status() != 200 || !"ok".equals(r.body())) {
            throw new AssertionError("expected 200 'ok', got " + r.status() + " '" + r.body() + "' (" + context + ")");
        }
    }

    /**
     * {@code threads} clients, each sending {@code GET target} in a loop until {@code duration} has
     * passed and {@code atLeast} answers came in all, or {@code deadline} has passed, through
     * {@link HttpURLConnection} (which keeps connections alive and reuses them). Every answer must be
     * 200 "ok". The count, not the time, is what makes a server busy: on a loaded machine a few
     * seconds may bring only a handful of answers.
     *
     * @return how many answers came
     */
    static long load(int port, String target, int threads, Duration duration, long atLeast, Duration deadline) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "load-client-" + n.incrementAndGet());
            t.setDaemon(true); // a client stuck despite its timeouts must not keep the test JVM alive
            return t;
        });
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long hardEnd = start + deadline.toNanos();
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        List<Future<Long>> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            clients.add(pool.submit(() -> {
                long answers = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now - hardEnd >= 0 || (now - end >= 0 && total.get() >= atLeast)) {
                        return answers;
                    }
                    expectOk(getWithUrlConnection(port, target), "load, after " + answers + " answers");
                    answers++;
                    total.incrementAndGet();
                }
            }));
        }
        pool.shutdown();
        long sum = 0;
        try {
            long bound = deadline.plus(IO_TIMEOUT).plus(IO_TIMEOUT).toNanos();
            for (Future<Long> client : clients) {
                sum += client.get(bound, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a load client failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a load client did not finish", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return sum;
    }

    private static Response getWithUrlConnection(int port, String target) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + target).toURL().openConnection();
            c.setConnectTimeout((int) IO_TIMEOUT.toMillis());
            c.setReadTimeout((int) IO_TIMEOUT.toMillis());
            int status = c.getResponseCode();
            // read whole and closed: the connection goes back to the JDK's keep-alive cache
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Response(status, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setSoTimeout((int) IO_TIMEOUT.toMillis());
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) IO_TIMEOUT.toMillis());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void write(Socket s, String target) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + s.getPort() + "\r\n"
                + "Connection: keep-alive\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One response with a Content-Length body (every test server sets one). */
    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            } else if (name.equals("transfer-encoding")) {
                throw new IOException("a test server answered with " + header + ", expected a Content-Length");
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in the answer (status " + status + ")");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a header: '" + buf + "'");
            }
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
