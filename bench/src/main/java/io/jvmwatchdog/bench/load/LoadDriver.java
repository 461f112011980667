package io.jvmwatchdog.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The load driver of bench/http-load.sh, run in its own JVM: keep-alive HTTP/1.1 connections over
 * loopback in a closed loop (a connection sends its next request as soon as it has read the previous
 * response in full), for a warm-up and then a measured window. Every measured request's latency is
 * kept, so the percentiles are exact.
 *
 * <p>Why not {@code HttpClient} or a thread per connection: on a two-core machine the driver shares
 * the CPU with the server, and whatever the driver spends is taken from the server. A selector thread
 * over raw sockets, with the requests prepared in advance, costs about what wrk costs.
 *
 * <p>Usage: {@code LoadDriver --port P [--connections 16] [--threads 1] [--warmup 5] [--duration 10]
 * [--seed 42] [--server-pid PID]} (seconds). Prints one line: {@code requests=.. seconds=.. rps=..
 * p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=.. errors=.. driver_cpu=.. server_cpu=..
 * server_cpu_us_per_request=..}: CPU in cores over the measured window (the server's read from
 * /proc, -1 when not given or not readable). Exits 1 when no request completed or any failed.
 */
public final class LoadDriver {

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        int connections = 16;
        int threads = 1;
        double warmup = 5;
        double duration = 10;
        long seed = 42;
        long serverPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                default -> usage();
            }
        }
        if (port <= 0 || connections < 1 || threads < 1 || threads > connections || duration <= 0) {
            usage();
        }
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long measureUntil = measureFrom + (long) (duration * 1e9);

        List<Loop> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = connections / threads + (t < connections % threads ? 1 : 0);
            loops.add(new Loop(server, share, new SplittableRandom(seed + t), measureFrom, measureUntil));
        }
        List<Thread> running = new ArrayList<>();
        for (Loop loop : loops) {
            Thread thread = new Thread(loop, "driver-" + running.size());
            thread.start();
            running.add(thread);
        }
        // The driver's own CPU over the measured window says whether it, not the server, is the limit.
        // The server's CPU per request is the figure a shared machine disturbs least: other processes
        // take throughput away from the server, but hardly change what a request costs it.
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sleepUntil(measureFrom);
        long cpuFrom = os.getProcessCpuTime();
        long serverFrom = cpuNanos(serverPid);
        sleepUntil(measureUntil);
        long cpuUntil = os.getProcessCpuTime();
        long serverUntil = cpuNanos(serverPid);
        for (Thread thread : running) {
            thread.join();
        }

        int count = 0;
        long errors = 0;
        for (Loop loop : loops) {
            count += loop.latencies.size;
            errors += loop.errors;
        }
        long[] all = new long[count];
        int at = 0;
        for (Loop loop : loops) {
            System.arraycopy(loop.latencies.values, 0, all, at, loop.latencies.size);
            at += loop.latencies.size;
        }
        Arrays.sort(all);
        boolean serverMeasured = serverFrom >= 0 && serverUntil >= 0;
        double seconds = (measureUntil - measureFrom) / 1e9;
        System.out.printf("requests=%d seconds=%.3f rps=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f"
                        + " max_us=%.1f errors=%d driver_cpu=%.2f server_cpu=%.2f server_cpu_us_per_request=%.2f"
                        + " connections=%d threads=%d%n",
                count, seconds, count / seconds, micros(all, 0.50), micros(all, 0.90), micros(all, 0.99),
                micros(all, 0.999), count == 0 ? 0 : all[count - 1] / 1e3, errors,
                (cpuUntil - cpuFrom) / 1e9 / seconds, serverMeasured ? (serverUntil - serverFrom) / 1e9 / seconds : -1,
                serverMeasured && count > 0 ? (serverUntil - serverFrom) / 1e3 / count : -1, connections, threads);
        for (Loop loop : loops) {
            if (loop.firstError != null) {
                System.err.println("driver: first error: " + loop.firstError);
            }
        }
        System.exit(count == 0 || errors > 0 ? 1 : 0);
    }

    /** The nearest-rank percentile, in microseconds. */
    static double micros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e3;
    }

    /**
     * A process's user plus system CPU time from /proc/PID/stat, or -1. The fields are in clock ticks,
     * which Linux reports at a fixed 100 per second whatever the kernel's tick rate.
     */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name in parentheses may hold spaces: count fields after its closing one.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static void usage() {
        System.err.println("usage: LoadDriver --port P [--connections 16] [--threads 1] [--warmup 5]"
                + " [--duration 10] [--seed 42] [--server-pid PID]");
        System.exit(2);
    }

    /** One selector thread and its share of the connections. */
    static final class Loop implements Runnable {

        /** Requests prepared in advance from the seed: the same sequence every run, no formatting in the loop. */
        private static final int REQUESTS = 1024;

        private final InetSocketAddress server;
        private final int connections;
        private final long measureFrom;
        private final long measureUntil;
        private final ByteBuffer[] requests = new ByteBuffer[REQUESTS];
        final Longs latencies = new Longs();
        long errors;
        String firstError;

        Loop(InetSocketAddress server, int connections, SplittableRandom random, long measureFrom, long measureUntil) {
            this.server = server;
            this.connections = connections;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
            for (int i = 0; i < REQUESTS; i++) {
                String request = "GET /work?id=" + random.nextInt(1_000_000) + "&user=u" + random.nextInt(100)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
                requests[i] = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
            }
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                for (int c = 0; c < connections; c++) {
                    Connection connection = new Connection(c * 37);
                    connection.open(selector);
                    send(connection, selector);
                }
                long now;
                while ((now = System.nanoTime()) < measureUntil) {
                    selector.select(Math.max(1, (measureUntil - now) / 1_000_000));
                    for (SelectionKey key : selector.selectedKeys()) {
                        Connection connection = (Connection) key.attachment();
                        try {
                            if (key.isWritable()) {
                                send(connection, selector);
                            } else if (key.isReadable()) {
                                receive(connection, selector);
                            }
                        } catch (IOException | RuntimeException e) {
                            fail(connection, selector, e.toString());
                        }
                    }
                    selector.selectedKeys().clear();
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
            } catch (IOException e) {
                errors++;
                firstError = firstError == null ? e.toString() : firstError;
            }
        }

        private void send(Connection c, Selector selector) throws IOException {
            if (!c.out.hasRemaining()) {
                c.out = requests[c.next++ & (REQUESTS - 1)].duplicate();
                c.in.clear();
                c.sentAt = System.nanoTime();
            }
            c.channel.write(c.out);
            c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void receive(Connection c, Selector selector) throws IOException {
            if (!c.in.hasRemaining()) {
                throw new IOException("response larger than " + c.in.capacity() + " bytes");
            }
            if (c.channel.read(c.in) < 0) {
                throw new IOException("connection closed by the server");
            }
            int length = c.in.position();
            int complete = completeResponseLength(c.in.array(), length);
            if (complete < 0) {
                return; // not all there yet
            }
            long done = System.nanoTime();
            if (complete != length) {
                throw new IOException("unexpected bytes after a response");
            }
            byte[] b = c.in.array();
            if (b[9] != '2' || b[10] != '0' || b[11] != '0') {
                throw new IOException("status " + new String(b, 9, 3, StandardCharsets.US_ASCII));
            }
            // Only requests wholly inside the window: at most one per connection is lost at each edge,
            // and no warm-up latency (first calls, JIT) leaks into the percentiles.
            if (c.sentAt >= measureFrom && done <= measureUntil) {
                latencies.add(done - c.sentAt);
            }
            send(c, selector);
        }

        /**
         * The length of the response at the start of {@code b} when it is all there (headers and a
         * Content-Length body), else -1.
         */
        static int completeResponseLength(byte[] b, int length) throws IOException {
            int headersEnd = -1;
            for (int i = 3; i < length; i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                    headersEnd = i + 1;
                    break;
                }
            }
            if (headersEnd < 0) {
                return -1;
            }
            String headers = new String(b, 0, headersEnd, StandardCharsets.US_ASCII).toLowerCase();
            int at = headers.indexOf("\r\ncontent-length:");
            if (at < 0) {
                throw new IOException("no Content-Length in: " + headers.strip());
            }
            int from = at + "\r\ncontent-length:".length();
            int eol = headers.indexOf('\r', from);
            int total = headersEnd + Integer.parseInt(headers.substring(from, eol).trim());
            return length >= total ? total : -1;
        }

        /** A failed connection is counted and replaced, so that one failure does not end the run. */
        private void fail(Connection c, Selector selector, String why) {
            errors++;
            if (firstError == null) {
                firstError = why;
            }
            try {
                c.channel.close();
                c.out = ByteBuffer.allocate(0);
                c.open(selector);
                send(c, selector);
            } catch (IOException e) {
                // The next select finds no key for it: the connection is lost, the error already counted.
            }
        }

        final class Connection {
            final ByteBuffer in = ByteBuffer.allocate(8192);
            ByteBuffer out = ByteBuffer.allocate(0);
            SocketChannel channel;
            SelectionKey key;
            int next;
            long sentAt;

            Connection(int firstRequest) {
                next = firstRequest;
            }

            void open(Selector selector) throws IOException {
                channel = SocketChannel.open(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                key = channel.register(selector, SelectionKey.OP_WRITE, this);
            }
        }
    }

    /** A growable array of longs: no boxing on the measured path. */
    static final class Longs {
        long[] values = new long[1 << 16];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }
}
