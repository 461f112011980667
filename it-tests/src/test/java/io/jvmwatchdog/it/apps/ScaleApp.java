package io.jvmwatchdog.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the size of a real service, for the scale tests: a live heap of small objects, a crowd of
 * threads parked deep in their stacks, then one scenario.
 *
 * <ul>
 *   <li>{@code spin}: one pool task spins with no progress (the offender). Prints
 *       {@code app: stuck since <epoch ms>} when it starts.</li>
 *   <li>{@code storm}: a database goes away. {@code HANGS} pool tasks, one every {@code GAP_MS}, each
 *       read from a peer that never answers (each is an offender once past the timeout); meanwhile a
 *       healthy thread does fixed steps of work and prints how many it did in each second
 *       ({@code app: pace <second> <steps>}), from the first hang until {@code TAIL_MS} after the last
 *       (after two seconds of warming up).</li>
 * </ul>
 *
 * <p>Usage: {@code ScaleApp LIVE_MB THREADS DEPTH spin} or
 * {@code ScaleApp LIVE_MB THREADS DEPTH storm HANGS GAP_MS TAIL_MS}. Prints {@code app: heap <MB> MB
 * live in <ms> ms}, then {@code app: ready} once the heap and the crowd stand.
 */
public final class ScaleApp {

    /** 12-byte header and a long: 24 bytes with compressed pointers, the size of most of a heap's objects. */
    static final class Small {
        final long value;

        Small(long value) {
            this.value = value;
        }
    }

    private static final int CHUNK = 1 << 16;
    /** The heap, held for good: chunks of small objects. */
    static final List<Object[]> HEAP = new ArrayList<>();
    static volatile long sink;

    private ScaleApp() {
    }

    public static void main(String[] args) throws Exception {
        long liveMb = Long.parseLong(args[0]);
        int threads = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[2]);
        String scenario = args[3];

        long start = System.nanoTime();
        fillHeap(liveMb);
        // A full collection now, so the collector has no concurrent cycle left from the filling (on two
        // cores, G1 marking a few gigabytes takes a core for seconds) when the scenario is measured.
        System.gc();
        System.out.println("app: heap " + liveMb + " MB live in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        CountDownLatch never = new CountDownLatch(1);
        parkDeep(threads, depth, never);
        System.out.println("app: ready");

        switch (scenario) {
            case "spin" -> spin();
            case "storm" -> storm(Integer.parseInt(args[4]), Long.parseLong(args[5]), Long.parseLong(args[6]));
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    /** About {@code liveMb} of 24-byte objects (and the 4-byte slots that hold them), kept live. */
    private static void fillHeap(long liveMb) {
        long objects = liveMb * 1024 * 1024 / 28;
        for (long made = 0; made < objects; made += CHUNK) {
            Object[] chunk = new Object[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                chunk[i] = new Small(made + i);
            }
            HEAP.add(chunk);
        }
    }

    /** {@code threads} threads, each {@code depth} frames deep, parked until the JVM ends. */
    private static void parkDeep(int threads, int depth, CountDownLatch never) throws InterruptedException {
        CountDownLatch parked = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> descend(depth, parked, never), "crowd-" + i);
            t.setDaemon(true);
            t.start();
        }
        parked.await();
    }

    private static void descend(int depth, CountDownLatch parked, CountDownLatch never) {
        if (depth > 0) {
            descend(depth - 1, parked, never);
            sink++; // not a tail call
            return;
        }
        parked.countDown();
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spin() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> {
            System.out.println("app: stuck since " + System.currentTimeMillis());
            long x = 0;
            while (true) {
                x += System.identityHashCode(pool) & 1; // no progress, no end
                if (x == Long.MIN_VALUE) {
                    sink = x;
                }
            }
        });
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void storm(int hangs, long gapMillis, long tailMillis) throws Exception {
        ServerSocket database = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress()); // accepts, never answers
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    accepted.add(database.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "database");
        acceptor.setDaemon(true);
        acceptor.start();

        long[] steps = new long[1];
        Thread healthy = new Thread(() -> {
            byte[] data = new byte[4096];
            while (true) {
                step(data);
                synchronized (steps) {
                    steps[0]++;
                }
            }
        }, "healthy");
        healthy.setDaemon(true);
        healthy.start();
        Thread.sleep(2000); // its code compiled before the pace counts

        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService requests = Executors.newFixedThreadPool(hangs, r -> new Thread(r, "request-" + ids.incrementAndGet()));
        long begin = System.nanoTime();
        long end = begin + TimeUnit.MILLISECONDS.toNanos(gapMillis * hangs + tailMillis);
        int started = 0;
        long lastSteps;
        synchronized (steps) {
            lastSteps = steps[0]; // the warm-up's steps are not the storm's
        }
        int second = 0;
        for (long nextSecond = begin + TimeUnit.SECONDS.toNanos(1); System.nanoTime() < end; ) {
            long now = System.nanoTime();
            while (started < hangs && now - begin >= TimeUnit.MILLISECONDS.toNanos(gapMillis * started)) {
                int n = started++;
                requests.submit(() -> query(database, n));
            }
            if (now >= nextSecond) {
                long s;
                synchronized (steps) {
                    s = steps[0];
                }
                System.out.println("app: pace " + (++second) + " " + (s - lastSteps));
                lastSteps = s;
                nextSecond += TimeUnit.SECONDS.toNanos(1);
            }
            Thread.sleep(5);
        }
        System.out.println("app: storm over, " + started + " hung");
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A request whose database went away: it reads, and no answer ever comes. */
    private static Object query(ServerSocket database, int n) throws IOException {
        System.out.println("app: request " + n + " hangs");
        Socket s = new Socket();
        s.connect(new InetSocketAddress(database.getInetAddress(), database.getLocalPort()), 10_000);
        InputStream in = s.getInputStream();
        return in.read();
    }

    /** A fixed piece of work: about a millisecond of hashing on this machine. */
    private static void step(byte[] data) {
        long h = 0;
        for (int round = 0; round < 64; round++) {
            for (int i = 0; i < data.length; i++) {
                h = h * 31 + (data[i] ^ round);
            }
        }
        sink = h;
    }
}
