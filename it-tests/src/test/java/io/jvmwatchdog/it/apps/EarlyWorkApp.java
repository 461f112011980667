package io.jvmwatchdog.it.apps;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Work that hangs in the first instants of {@code main}, before a background install can have
 * ended: a thread waiting for a {@code ReentrantLock} another holds for ever (in no unit), and an
 * {@code entry=} method ({@link #readForever}) in a socket read that never returns. Prints "app:
 * early work under way at N ms" (the JVM's uptime) once both are in their waits, then "app: ready".
 */
public final class EarlyWorkApp {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private EarlyWorkApp() {
    }

    public static void main(String[] args) throws Exception {
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
        System.out.println("app: early work under way at " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        System.out.println("app: ready");
        sleepForever();
        client.close();
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
