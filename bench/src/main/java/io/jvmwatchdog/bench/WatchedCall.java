package io.jvmwatchdog.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A method woven as an {@code entry=} unit against the same method unwoven, in one JVM running the
 * real agent: the difference is what the advice adds to a call. Run from the repository's root (the
 * fork finds the agent at agent/target/watchdog.jar; bench/run.sh and the build's smoke run do so).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/watchdog.jar=timeout=3m,"
        + "entry=io.jvmwatchdog.bench.WatchedCall$Target#watched")
@State(Scope.Thread)
public class WatchedCall {

    @Param("42")
    public int input;

    /**
     * Two identical methods, only {@code watched} named by {@code entry=}, and a third that does the
     * issue's floor (a {@code ThreadLocal} read plus two stores) in the same place: called, not
     * inlined, so the thread-local lookup cannot be hoisted out of JMH's loop as it can in
     * {@link ProbeCost}.
     */
    public static final class Target {
        private static final ThreadLocal<int[]> FLOOR = ThreadLocal.withInitial(() -> new int[2]);

        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public static int floor(int x) {
            int[] slots = FLOOR.get();
            slots[0]++;
            slots[1]++;
            return x * 31 + 7;
        }

        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public static int plain(int x) {
            return x * 31 + 7;
        }

        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public static int watched(int x) {
            return x * 31 + 7;
        }
    }

    @Benchmark
    public int plainCall() {
        return Target.plain(input);
    }

    @Benchmark
    public int floorCall() {
        return Target.floor(input);
    }

    @Benchmark
    public int watchedCall() {
        return Target.watched(input);
    }
}
