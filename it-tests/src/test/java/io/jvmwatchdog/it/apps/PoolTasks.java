package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What every pool program ({@link KotlinCoroutinesApp}, {@link JbossThreadsApp}, {@link QuartzApp},
 * {@link ReactorApp}, {@link SpringApp}, {@link GrpcApp}) does, whatever the pool: each one only says
 * how a task reaches its pool the way its users do it (a launched coroutine, an executor's
 * {@code execute}, a scheduled job, a {@code Mono} subscribed on a scheduler, an {@code @Async} call,
 * a gRPC call), and the task, once on the pool's thread, calls {@link #run(String)}.
 *
 * <p>The program prints "app: started", sets its pool up, then "app: ready", and takes commands on
 * stdin, one a line:
 * <ul>
 *   <li>{@code burst}: {@value #BURST} short tasks (a little computation; every tenth sleeps 5 ms),
 *       waited for, then "app: burst done"; from then on a plain thread ("ticker", outside any unit)
 *       hands the pool one short task every 200 ms, so the pool's workers go on working a little and
 *       idling in between;</li>
 *   <li>{@code spin}: one task that spins for ever with nothing anyone could see ("app: spinning" as
 *       it starts);</li>
 *   <li>{@code read}: one task that reads for ever from a silent peer (a loopback server in the same
 *       program that accepts and never writes), "app: reading" as it connects.</li>
 * </ul>
 * Runs until killed.
 */
public final class PoolTasks {

    public static final String SHORT = "short";
    public static final String SPIN = "spin";
    public static final String READ = "read";
    static final int BURST = 200;

    static volatile long sink;
    private static volatile CountDownLatch shortTasks = new CountDownLatch(0);
    private static volatile ServerSocket silentPeer;

    private PoolTasks() {
    }

    /** How a program hands one task, by its name, to its pool. */
    @FunctionalInterface
    public interface Pool {
        void submit(String task) throws Exception;
    }

    /** The task called {@code task}, on the pool's thread. */
    public static void run(String task) {
        switch (task) {
            case SHORT -> shortTask();
            case SPIN -> spinForever();
            case READ -> readFromSilentPeer();
            default -> throw new IllegalArgumentException(task);
        }
    }

    /** Prints "app: ready", then takes commands until stdin ends. */
    public static void serve(Pool pool) throws Exception {
        silentPeer = BlockingApp.silentPeer();
        System.out.println("app: ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.trim()) {
                case "burst" -> burst(pool);
                case SPIN -> pool.submit(SPIN);
                case READ -> pool.submit(READ);
                default -> System.out.println("app: unknown command '" + line + "'");
            }
        }
    }

    private static void burst(Pool pool) throws Exception {
        CountDownLatch done = new CountDownLatch(BURST);
        shortTasks = done;
        for (int i = 0; i < BURST; i++) {
            pool.submit(SHORT);
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.out.println("app: burst incomplete, " + done.getCount() + " of " + BURST + " tasks left");
            return;
        }
        System.out.println("app: burst done");
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(200);
                    pool.submit(SHORT);
                }
            } catch (Exception e) {
                System.out.println("app: ticker ended: " + e);
            }
        }, "ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    private static final AtomicLong shortTaskCount = new AtomicLong();

    private static void shortTask() {
        long x = sink;
        for (int i = 0; i < 10_000; i++) {
            x = x * 31 + i;
        }
        sink = x;
        if (shortTaskCount.incrementAndGet() % 10 == 0) {
            LockSupport.parkNanos(5_000_000); // a short healthy wait now and then
        }
        shortTasks.countDown();
    }

    static void spinForever() {
        System.out.println("app: spinning");
        long x = 1;
        while (true) {
            x = x * 6364136223846793005L + 1442695040888963407L; // busy, and nothing anyone could see
            if (x == 42) {
                sink = x;
            }
        }
    }

    static void readFromSilentPeer() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(silentPeer.getInetAddress(), silentPeer.getLocalPort()), 10_000);
            System.out.println("app: reading");
            InputStream in = s.getInputStream();
            sink += in.read(); // the peer never writes: blocks for ever, in a socket read
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
