package io.jvmwatchdog.it.apps;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Work that hangs before the watchdog's install can have ended: a thread waiting for a {@code
 * ReentrantLock} another holds for ever (in no unit), and an {@code entry=} method ({@link
 * #readForever}) in a socket read that never returns. Started by {@link #premain}, as an agent
 * named before the watchdog on the command line, so that it is under way before the watchdog's
 * premain even runs (a background install is now done within milliseconds of {@code main}: started
 * from {@code main}, the work raced it). {@code main} prints "app: early work under way at N ms"
 * (the JVM's uptime when both were in their waits), then "app: ready".
 */
public final class EarlyWorkApp {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile long underWayAt = -1;

    private EarlyWorkApp() {
    }

    /** Starts the work and returns once both threads are in their waits. */
    public static void premain(String args) throws Exception {
        Thread holder = new Thread(() -> {
            LOCK.lock();
            sleepForever();
        }, "early-lock-holder");
        holder.setDaemon(true);
        holder.start();
        while (!LOCK.isLocked()) {
            Thread.onSpinWait();
        }
        Thread waiter = new Thread(LOCK::lock, "early-lock-waiter");
        waiter.setDaemon(true);
        waiter.start();
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept();
        Thread reader = new Thread(() -> readForever(accepted), "early-reader");
        reader.setDaemon(true);
        reader.start();
        while (!inWait(waiter, "acquire") || !inWait(reader, "read")) {
            Thread.onSpinWait();
        }
        underWayAt = ManagementFactory.getRuntimeMXBean().getUptime();
        CLIENT[0] = client; // kept open for ever: the peer never writes
    }

    private static final Socket[] CLIENT = new Socket[1];

    public static void main(String[] args) throws Exception {
        if (underWayAt < 0) {
            throw new IllegalStateException("run with -javaagent:<a jar whose Premain-Class is this class>, before the watchdog's");
        }
        System.out.println("app: early work under way at " + underWayAt + " ms");
        System.out.println("app: ready");
        sleepForever();
    }

    /** The entry point the test names: a read from a peer that never writes. */
    public static void readForever(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            in.read();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean inWait(Thread thread, String method) {
        return Arrays.stream(thread.getStackTrace()).limit(8).anyMatch(f -> f.getMethodName().equals(method));
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
