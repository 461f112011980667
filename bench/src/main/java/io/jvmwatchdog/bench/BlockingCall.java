package io.jvmwatchdog.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Blocking calls of the JDK that the agent probes, timed where they do not block, without the
 * agent; {@link BlockingCallWatched} runs the same with it. The difference is what a probe pair costs
 * inside a real call: a positional read of one byte from a file in the page cache (a file I/O probe),
 * and an uncontended {@code ReentrantLock} (no probe at all since the probe moved to AQS's slow path).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BlockingCall {

    private Path file;
    private FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1);
    private final ReentrantLock lock = new ReentrantLock();

    @Setup(Level.Trial)
    public void open() throws IOException {
        file = Files.createTempFile("watchdog-bench-", ".bin");
        Files.write(file, new byte[] {42});
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public int fileRead() throws IOException {
        buffer.clear();
        return channel.read(buffer, 0);
    }

    @Benchmark
    public boolean uncontendedLock() {
        lock.lock();
        try {
            return lock.isHeldByCurrentThread();
        } finally {
            lock.unlock();
        }
    }
}
