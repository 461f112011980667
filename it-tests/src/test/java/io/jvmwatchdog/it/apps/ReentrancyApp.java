package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps the agent busy in the paths it shares with the application (ReentrancyIT): while application
 * threads get stuck one after the other, an executor task defines {@link ReloadedUnit} in a fresh class
 * loader every few milliseconds, so the agent transforms and logs on that thread the whole time.
 *
 * <p>At start: the churn task ("app-churn") and a task that spins for ever ("app-spinner"); then "app:
 * ready". Commands on stdin, one a line, each answered on stdout once done:
 * <ul>
 *   <li>{@code socket}: a task ("app-reader") reads from a loopback peer that never writes;</li>
 *   <li>{@code lock}: "app-lock-holder" takes a {@link ReentrantLock} and keeps it; then
 *       "app-lock-waiter" waits for it in {@code lock()};</li>
 *   <li>{@code monitor}: "app-monitor-holder" enters a monitor and stays; then "app-monitor-waiter" is
 *       blocked entering it;</li>
 *   <li>{@code release}: the spinner's task returns;</li>
 *   <li>{@code ping <n>}: answered with {@code app: pong <n> defined <classes defined so far>}.</li>
 * </ul>
 * The holders sleep (an interruptible wait outside any unit): never stuck themselves.
 */
public final class ReentrancyApp {

    private static final AtomicLong DEFINED = new AtomicLong();
    private static volatile boolean released;
    static volatile long sink;

    private ReentrancyApp() {
    }

    public static void main(String[] args) throws Exception {
        byte[] unit = classBytes(ReloadedUnit.class);
        Executors.newSingleThreadExecutor(named("app-churn")).execute(() -> churn(unit));
        Executors.newSingleThreadExecutor(named("app-spinner")).execute(ReentrancyApp::spinUntilReleased);
        System.out.println("app: ready");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "socket" -> {
                    ServerSocket peer = BlockingApp.silentPeer();
                    Executors.newSingleThreadExecutor(named("app-reader")).execute(() -> BlockingApp.readForever(peer));
                }
                case "lock" -> {
                    ReentrantLock lock = new ReentrantLock();
                    holdThenWait("app-lock", stay -> {
                        lock.lock();
                        stay.run();
                    }, lock::lock);
                }
                case "monitor" -> {
                    Object monitor = new Object();
                    holdThenWait("app-monitor", stay -> {
                        synchronized (monitor) {
                            stay.run();
                        }
                    }, () -> {
                        synchronized (monitor) {
                            sink++;
                        }
                    });
                }
                case "release" -> released = true;
                case "ping" -> {
                    // fall through to the answer
                }
                default -> {
                    System.out.println("app: unknown command '" + line + "'");
                    continue;
                }
            }
            System.out.println("app: " + (words[0].equals("ping") ? "pong " + words[1] : "did " + words[0])
                    + " defined " + DEFINED.get());
        }
        Runtime.getRuntime().halt(0); // stdin closed: the test is done
    }

    /**
     * Starts "{@code prefix}-holder", which takes a lock with {@code hold} and, holding it, runs what it
     * is given (which sleeps for ever), and once it holds, "{@code prefix}-waiter", which runs {@code
     * wait} (and stays there).
     */
    private static void holdThenWait(String prefix, Consumer<Runnable> hold, Runnable wait) throws InterruptedException {
        CountDownLatch taken = new CountDownLatch(1);
        Thread holder = new Thread(() -> hold.accept(() -> {
            taken.countDown();
            sleepForever();
        }), prefix + "-holder");
        holder.setDaemon(true);
        holder.start();
        taken.await();
        Thread waiter = new Thread(wait, prefix + "-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Defines the unit in a new loader, calls it, pauses a little (a park: progress), for ever. */
    private static void churn(byte[] unit) {
        long x = 1;
        while (true) {
            try {
                Class<?> c = new FreshLoader(ReentrancyApp.class.getClassLoader()).define(ReloadedUnit.class.getName(), unit);
                x = (long) c.getMethod("work", long.class).invoke(null, x);
                DEFINED.incrementAndGet();
            } catch (ReflectiveOperationException | LinkageError e) {
                System.out.println("app: churn failed: " + e);
                return;
            }
            sink = x;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void spinUntilReleased() {
        long x = 1;
        while (!released) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            if (x == 42) {
                sink = x;
            }
        }
        sink = x;
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // stay
            }
        }
    }

    private static byte[] classBytes(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource);
            }
            return in.readAllBytes();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> new Thread(r, name);
    }

    /** A loader that defines the unit itself (never asking its parent for it). */
    private static final class FreshLoader extends ClassLoader {
        FreshLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
