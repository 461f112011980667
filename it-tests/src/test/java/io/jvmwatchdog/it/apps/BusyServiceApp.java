package io.jvmwatchdog.it.apps;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A healthy service that blocks all the time, briefly, in every kind of call the watchdog classifies:
 * all of it in executor tasks. Runs for the given milliseconds (first argument, default 6000), then
 * stops everything, prints "app: done" with what it did, and exits 0 by itself. With
 * {@code --with-child} as the second argument it also keeps a child process ({@code sleep}) alive for
 * the whole run.
 *
 * <ul>
 *   <li>an echo server on loopback (acceptor task, one handler task per connection) and two clients,
 *       one on a classic {@link Socket}, one on a blocking {@link SocketChannel}, doing short round
 *       trips in bursts: socket connect, read and write, each short;</li>
 *   <li>a task idle in {@link ServerSocket#accept()} on a port nobody connects to, for the whole run;</li>
 *   <li>a selector loop: a task in {@link Selector#select()} on a {@link ServerSocketChannel} that
 *       nothing reaches, for the whole run;</li>
 *   <li>file writes and reads of a temporary file (in {@code java.io.tmpdir}) through
 *       FileOutputStream, FileInputStream, RandomAccessFile and FileChannel, in a ForkJoinPool task;</li>
 *   <li>a task sleeping 50 ms between small bits of work;</li>
 *   <li>four tasks briefly contending for one monitor, one {@link ReentrantLock} and one
 *       {@link ReentrantReadWriteLock}, pausing a moment between acquisitions.</li>
 * </ul>
 */
public final class BusyServiceApp {

    private static final int MESSAGE = 64;
    private static final int BURST = 50;
    private static final int LOCK_TASKS = 4;

    private static volatile boolean running = true;
    static volatile long sink;

    private static final AtomicLong roundTrips = new AtomicLong();
    private static final AtomicLong fileOps = new AtomicLong();
    private static final AtomicLong lockOps = new AtomicLong();
    private static final AtomicLong naps = new AtomicLong();
    private static final List<String> failures = new ArrayList<>();

    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ReentrantReadWriteLock RW = new ReentrantReadWriteLock();

    private BusyServiceApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        long runMillis = args.length > 0 ? Long.parseLong(args[0]) : 6_000;
        boolean withChild = args.length > 1 && args[1].equals("--with-child");
        Process child = null;
        if (withChild) {
            // a helper process alive for the whole run (ends by itself 20 s after it, should we be killed)
            child = new ProcessBuilder("sleep", Long.toString(runMillis / 1000 + 20))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ExecutorService pool = Executors.newCachedThreadPool();
        ForkJoinPool files = new ForkJoinPool(1);

        ServerSocket echo = new ServerSocket(0, 50, loopback);
        pool.execute(() -> acceptLoop(echo, pool));
        ServerSocket idle = new ServerSocket(0, 50, loopback);
        pool.execute(() -> idleAccept(idle));
        Selector selector = Selector.open();
        ServerSocketChannel quiet = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        quiet.configureBlocking(false);
        quiet.register(selector, SelectionKey.OP_ACCEPT);
        pool.execute(() -> selectLoop(selector));

        InetSocketAddress echoAddress = new InetSocketAddress(loopback, echo.getLocalPort());
        pool.execute(() -> classicClient(echoAddress));
        pool.execute(() -> channelClient(echoAddress));
        Path file = Files.createTempFile("busy-service-", ".dat");
        files.execute(() -> fileWork(file));
        pool.execute(BusyServiceApp::napper);
        for (int i = 0; i < LOCK_TASKS; i++) {
            pool.execute(BusyServiceApp::contend);
        }
        System.out.println("app: ready");

        Thread.sleep(runMillis);

        running = false;
        echo.close(); // both acceptors' accept() throw; connections already accepted live on
        idle.close();
        selector.wakeup();
        pool.shutdown(); // clients stop after their burst; their handlers see the end of stream
        files.shutdown();
        boolean ended = pool.awaitTermination(10, TimeUnit.SECONDS) && files.awaitTermination(10, TimeUnit.SECONDS);
        selector.close();
        quiet.close();
        Files.deleteIfExists(file);
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
        if (!ended) {
            System.out.println("app: tasks did not end");
            System.exit(3);
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                System.out.println("app: failures " + failures);
                System.exit(4);
            }
        }
        System.out.println("app: done round-trips=" + roundTrips.get() + " file-ops=" + fileOps.get()
                + " lock-ops=" + lockOps.get() + " naps=" + naps.get());
    }

    private static void fail(String what, Throwable t) {
        synchronized (failures) {
            failures.add(what + ": " + t);
        }
    }

    /** Accepts connections until the last client is in, each served by its own task; then idles in accept. */
    private static void acceptLoop(ServerSocket server, ExecutorService pool) {
        try {
            while (true) {
                Socket s = server.accept();
                pool.execute(() -> serve(s));
            }
        } catch (SocketException closed) {
            // closed at the end of the run
        } catch (Exception e) {
            if (running) {
                fail("accept loop", e);
            }
        }
    }

    /** Echoes fixed-size messages until the client closes the connection. */
    private static void serve(Socket s) {
        byte[] buf = new byte[MESSAGE];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                int n = in.readNBytes(buf, 0, MESSAGE);
                if (n < MESSAGE) {
                    return; // end of stream: the client is done
                }
                out.write(buf);
                out.flush();
            }
        } catch (IOException e) {
            fail("echo handler", e);
        }
    }

    private static void idleAccept(ServerSocket server) {
        try (Socket unexpected = server.accept()) {
            fail("idle acceptor", new IllegalStateException("a connection came: " + unexpected));
        } catch (IOException closed) {
            // closed at the end of the run: the expected way out
        }
    }

    private static void selectLoop(Selector selector) {
        try {
            while (running) {
                selector.select(); // nothing ever arrives; woken at the end
                selector.selectedKeys().clear();
            }
        } catch (Exception e) {
            fail("selector loop", e);
        }
    }

    private static void classicClient(InetSocketAddress server) {
        byte[] message = new byte[MESSAGE];
        byte[] reply = new byte[MESSAGE];
        try (Socket s = new Socket()) {
            s.connect(server, 5_000);
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (running) {
                for (int i = 0; i < BURST; i++) {
                    message[0] = (byte) i;
                    out.write(message);
                    out.flush();
                    if (in.readNBytes(reply, 0, MESSAGE) != MESSAGE || reply[0] != message[0]) {
                        throw new IOException("bad echo");
                    }
                    roundTrips.incrementAndGet();
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            fail("classic client", e);
        }
    }

    private static void channelClient(InetSocketAddress server) {
        ByteBuffer message = ByteBuffer.allocate(MESSAGE);
        ByteBuffer reply = ByteBuffer.allocate(MESSAGE);
        try (SocketChannel ch = SocketChannel.open()) {
            ch.connect(server); // blocking channel
            while (running) {
                for (int i = 0; i < BURST; i++) {
                    message.clear();
                    message.put(0, (byte) i);
                    while (message.hasRemaining()) {
                        ch.write(message);
                    }
                    reply.clear();
                    while (reply.hasRemaining()) {
                        if (ch.read(reply) < 0) {
                            throw new IOException("end of stream");
                        }
                    }
                    if (reply.get(0) != (byte) i) {
                        throw new IOException("bad echo");
                    }
                    roundTrips.incrementAndGet();
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            fail("channel client", e);
        }
    }

    private static void fileWork(Path file) {
        byte[] data = new byte[32 * 1024];
        byte[] back = new byte[data.length];
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (running) {
                data[0]++;
                try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                    out.write(data);
                }
                try (FileInputStream in = new FileInputStream(file.toFile())) {
                    if (in.readNBytes(back, 0, back.length) != back.length || back[0] != data[0]) {
                        throw new IOException("read back something else");
                    }
                }
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.seek(100);
                    raf.write(data, 0, 100);
                    raf.seek(0);
                    sink += raf.read();
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    buffer.clear();
                    ch.read(buffer, 0);
                    buffer.flip();
                    ch.write(buffer, 8192);
                }
                fileOps.addAndGet(4);
                Thread.sleep(5);
            }
        } catch (Exception e) {
            fail("file work", e);
        }
    }

    private static void napper() {
        try {
            while (running) {
                sink += naps.incrementAndGet();
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Short critical sections on shared locks, a short pause between: contended, never for long. */
    private static void contend() {
        while (running) {
            synchronized (MONITOR) {
                sink++;
            }
            LOCK.lock();
            try {
                sink++;
            } finally {
                LOCK.unlock();
            }
            RW.writeLock().lock();
            try {
                sink++;
            } finally {
                RW.writeLock().unlock();
            }
            RW.readLock().lock();
            try {
                sink += 0;
            } finally {
                RW.readLock().unlock();
            }
            lockOps.incrementAndGet();
            LockSupport.parkNanos(500_000);
        }
    }
}
