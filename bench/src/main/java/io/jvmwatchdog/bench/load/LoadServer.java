package io.jvmwatchdog.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;

/**
 * The server of bench/http-load.sh: the JDK's {@code HttpServer} on loopback with a fixed pool of
 * handler threads, each request a small fixed amount of real work (parse the query, hash 1 KB, write
 * 1 KB back), connections kept alive. Every request runs as a {@code ThreadPoolExecutor} task and,
 * inside it, as the JDK server's request unit (an exchange, named by its method and path), so the
 * agent watches every one of them; the work is small, so a per-request cost of an agent shows.
 *
 * <p>Usage: {@code LoadServer [--threads N] [--naive-sampler] [--lifetime SECONDS]}. Prints
 * {@code port <n>} on stdout once it accepts connections, then serves until killed.
 */
public final class LoadServer {

    static final int BODY_BYTES = 1024;

    /**
     * The request bodies' raw material, made once from a fixed seed: the work per request is then the
     * same from run to run, and nothing random is drawn on the request path.
     */
    private static final byte[][] PAYLOADS = payloads(256, 42);

    // One digest per handler thread: what a real service would do, rather than a provider look-up per request.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Written by the naive sampler so that its dumps are used, as a real sampler's would be. */
    static volatile long sampledFrames;

    private LoadServer() {
    }

    public static void main(String[] args) throws IOException {
        int threads = 8;
        boolean naiveSampler = false;
        long lifetimeSeconds = 600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--naive-sampler" -> naiveSampler = true;
                case "--lifetime" -> lifetimeSeconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: LoadServer [--threads N] [--naive-sampler] [--lifetime SECONDS]");
                    System.exit(2);
                }
            }
        }
        // A bound on the process's life: a server whose script was killed with -9 does not stay behind.
        daemon("lifetime", sleeper(lifetimeSeconds * 1000, () -> Runtime.getRuntime().halt(3))).start();
        if (naiveSampler) {
            daemon("naive-hang-sampler", LoadServer::sampleForever).start();
        }
        // The server writes the headers and the body in two segments: with Nagle's algorithm on, the
        // body waits for the client's delayed ACK, and every request takes 40 ms of idle time.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", LoadServer::handle);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
    }

    /** {@code GET /work?id=<n>}: 1 KB picked by the id, hashed with it, echoed with the digest in front. */
    static void handle(HttpExchange exchange) throws IOException {
        try {
            long id = queryLong(exchange.getRequestURI().getRawQuery(), "id");
            byte[] payload = PAYLOADS[(int) (id & (PAYLOADS.length - 1))];
            MessageDigest sha = SHA256.get();
            sha.update((byte) id);
            sha.update((byte) (id >>> 8));
            byte[] digest = sha.digest(payload);
            byte[] body = payload.clone();
            for (int i = 0; i < digest.length; i++) {
                body[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                body[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    /** The value of {@code name} in a raw query, or 0: a hand parser, as hot request paths have. */
    static long queryLong(String query, String name) {
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq == name.length() && pair.startsWith(name)) {
                try {
                    return Long.parseLong(pair.substring(eq + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * The naive hang sampler the comparison is against: a full dump with locks every second, which is
     * how simple watchdogs look for stuck threads (each dump is a safepoint and walks every stack).
     */
    private static void sampleForever() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long frames = 0;
            for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
                frames += info.getStackTrace().length;
            }
            sampledFrames = frames;
        }
    }

    private static byte[][] payloads(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] payloads = new byte[count][BODY_BYTES];
        for (byte[] p : payloads) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return payloads;
    }

    private static Runnable sleeper(long millis, Runnable then) {
        return () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            then.run();
        };
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
