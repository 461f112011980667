package io.jvmwatchdog.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Threads stuck in blocking JDK calls, one scenario per run (the first argument). Prints "app: started",
 * then "app: ready" once the scenario's threads are started (they reach their blocking call a moment
 * later), then waits for ever; the test kills it.
 *
 * <ul>
 *   <li>{@code socket-read}: an executor task reads from a loopback peer that accepted the connection
 *       and never writes.</li>
 *   <li>{@code pipe-write}: an executor task writes to the stdin of a child process ({@code sleep 30})
 *       that never reads it, until the pipe is full and the write blocks. The child's pid is printed
 *       ("app: child pid N") so the test can kill it; it also ends by itself after 30 s.</li>
 *   <li>{@code chain}: plain threads; "chain-A" is blocked entering a monitor held by "chain-B", which
 *       waits in {@code ReentrantLock.lock()} for a lock held by "chain-C", which reads from a silent
 *       loopback peer.</li>
 *   <li>{@code monitor-deadlock}: plain threads "dl-monitor-1" and "dl-monitor-2", each holding one
 *       monitor and blocked entering the other's ({@code synchronized}).</li>
 *   <li>{@code lock-deadlock}: two executor tasks on threads "dl-lock-1" and "dl-lock-2", each holding
 *       one {@link ReentrantLock} and waiting in {@code lock()} for the other's.</li>
 * </ul>
 */
public final class BlockingApp {

    /** Accepted connections of the silent peer: referenced, so never collected (and closed) under the reader. */
    private static final List<Socket> HELD = new ArrayList<>();
    static volatile long sink;

    private BlockingApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        String scenario = args.length > 0 ? args[0] : "";
        switch (scenario) {
            case "socket-read":
                socketRead();
                break;
            case "pipe-write":
                pipeWrite();
                break;
            case "chain":
                chain();
                break;
            case "monitor-deadlock":
                monitorDeadlock();
                break;
            case "lock-deadlock":
                lockDeadlock();
                break;
            default:
                System.out.println("app: unknown scenario '" + scenario + "'");
                System.exit(2);
        }
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void socketRead() throws IOException {
        ServerSocket peer = silentPeer();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(() -> readForever(peer));
    }

    /** An executor task fills the stdin pipe of a process that never reads it. */
    private static void pipeWrite() throws Exception {
        Process child = new ProcessBuilder("sleep", "30")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        System.out.println("app: child pid " + child.pid());
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "kill-child"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(() -> writeForever(child.getOutputStream()));
    }

    /** A monitor held by B; a lock held by C; C stuck reading a silent peer. */
    private static void chain() throws Exception {
        ServerSocket peer = silentPeer();
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch cHoldsLock = new CountDownLatch(1);
        CountDownLatch bHoldsMonitor = new CountDownLatch(1);
        Thread c = new Thread(() -> {
            lock.lock();
            try {
                cHoldsLock.countDown();
                readForever(peer);
            } finally {
                lock.unlock();
            }
        }, "chain-C");
        Thread b = new Thread(() -> {
            synchronized (monitor) {
                bHoldsMonitor.countDown();
                awaitQuietly(cHoldsLock);
                lock.lock(); // C never lets go
                lock.unlock();
            }
        }, "chain-B");
        Thread a = new Thread(() -> {
            awaitQuietly(bHoldsMonitor);
            synchronized (monitor) { // B never lets go
                sink++;
            }
        }, "chain-A");
        c.start();
        cHoldsLock.await();
        b.start();
        bHoldsMonitor.await();
        a.start();
    }

    private static void monitorDeadlock() {
        Object first = new Object();
        Object second = new Object();
        CountDownLatch bothHold = new CountDownLatch(2);
        new Thread(() -> lockBoth(first, second, bothHold), "dl-monitor-1").start();
        new Thread(() -> lockBoth(second, first, bothHold), "dl-monitor-2").start();
    }

    private static void lockBoth(Object mine, Object theirs, CountDownLatch bothHold) {
        synchronized (mine) {
            bothHold.countDown();
            awaitQuietly(bothHold);
            synchronized (theirs) {
                sink++;
            }
        }
    }

    private static void lockDeadlock() {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> new Thread(r, "dl-lock-" + n.incrementAndGet());
        ExecutorService pool = Executors.newFixedThreadPool(2, named);
        pool.execute(() -> lockBoth(first, second, bothHold));
        pool.execute(() -> lockBoth(second, first, bothHold));
    }

    private static void lockBoth(ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHold) {
        mine.lock();
        try {
            bothHold.countDown();
            awaitQuietly(bothHold);
            theirs.lock();
            theirs.unlock();
        } finally {
            mine.unlock();
        }
    }

    /**
     * A loopback server that accepts every connection and keeps it, never writing: a reader of such a
     * connection blocks for ever.
     */
    static ServerSocket silentPeer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    synchronized (HELD) {
                        HELD.add(s);
                    }
                }
            } catch (IOException e) {
                // closed: the JVM is going away
            }
        }, "silent-peer");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    static void readForever(ServerSocket peer) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(peer.getInetAddress(), peer.getLocalPort()), 10_000);
            InputStream in = s.getInputStream();
            int b = in.read(); // the peer never writes
            System.out.println("app: read returned " + b);
        } catch (IOException e) {
            System.out.println("app: read failed: " + e);
        }
    }

    private static void writeForever(OutputStream toChild) {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try {
            while (true) {
                toChild.write(chunk); // blocks once the pipe is full: the child never reads
                written += chunk.length;
                sink = written;
            }
        } catch (IOException e) {
            System.out.println("app: write failed after " + written + " bytes: " + e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
