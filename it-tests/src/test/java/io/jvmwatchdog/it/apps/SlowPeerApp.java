package io.jvmwatchdog.it.apps;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A pool task that reads one byte from a loopback peer (port in the first argument) and returns: a
 * legitimate wait in an uninterruptible call, as long as the peer takes to answer. Prints "app: ready"
 * once the task is about to read, "app: done" when it got its byte, and exits 0.
 */
public final class SlowPeerApp {

    private SlowPeerApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        int port = Integer.parseInt(args[0]);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        Future<Integer> read = pool.submit(() -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                InputStream in = socket.getInputStream();
                System.out.println("app: ready");
                return in.read();
            }
        });
        int b = read.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        System.out.println("app: done " + b);
    }
}
