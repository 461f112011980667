package io.jvmwatchdog.it.apps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * For escalation: an executor task spins, checking its interrupt status, until it is interrupted;
 * it then prints "app: task interrupted" and spins again, now for good. Prints "app: ready".
 *
 * <p>With the argument {@code channel}: the task reads from a {@code SocketChannel} whose peer never
 * writes (an interrupt would close the channel). On each line read from stdin, the program prints
 * {@code app: channel open <true|false>}.
 */
public final class EscalationApp {

    static volatile long sink;

    private EscalationApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("channel")) {
            readFromASilentChannel();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sink++;
            }
            System.out.println("app: task interrupted");
            while (true) {
                sink++;
            }
        });
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void readFromASilentChannel() throws Exception {
        java.net.ServerSocket silent = BlockingApp.silentPeer();
        java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                new java.net.InetSocketAddress(silent.getInetAddress(), silent.getLocalPort()));
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> {
            channel.read(java.nio.ByteBuffer.allocate(1)); // the peer never writes
            return null;
        });
        System.out.println("app: ready");
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        while (in.readLine() != null) {
            System.out.println("app: channel open " + channel.isOpen());
        }
    }
}
