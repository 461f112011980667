package io.jvmwatchdog.bench;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one transition pair costs an application thread: the probes as woven advice calls them,
 * against the floor the issue sets (a {@code ThreadLocal} read plus two plain stores). Target: a pair
 * at most 5 ns, about 2x the floor, and never a clock read or an allocation (see
 * ProbesAllocationTest for the latter).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ProbeCost {

    // Site numbers, as woven advice carries them (constants registered at weave time).
    private static final int TASK = Sites.register("bench.Task.run", Blocking.NONE);
    private static final int SOCKET_READ = Sites.register("bench.Socket.read", Blocking.SOCKET_READ);
    private static final int ENTRY = Sites.register("bench.Entry.run", Blocking.NONE);
    private static final int REQUEST = Sites.register("bench.Server.handle", Blocking.NONE);
    private static final int POOL = Sites.register("bench.Pool.runWorker", Blocking.NONE);
    private static final int QUEUE = Sites.register("bench.Queue.take", Blocking.NONE);
    /** The pool a worker's job belongs to, as the pool advice names it (for the pool-starvation rule). */
    private final Object pool = new Object();

    /** The floor: what any per-thread bookkeeping costs at least. */
    private static final ThreadLocal<int[]> FLOOR = ThreadLocal.withInitial(() -> new int[2]);

    /**
     * As the agent does before it weaves anything: the boot runtime's classes loaded and initialised.
     * Without it a benchmark that never enters a budgeted unit leaves the state's cold part's class
     * unloaded, and the JIT will not inline a call that returns it.
     */
    @Setup
    public void warmUpAsTheAgentDoes() {
        Probes.warmUp();
    }

    @Benchmark
    public void floorThreadLocalAndTwoStores() {
        int[] slots = FLOOR.get();
        slots[0]++;
        slots[1]++;
    }

    // Each pair as woven advice makes it: the enter's state handed to the exit (@Advice.Enter).

    @Benchmark
    public void taskEnterExit() {
        Probes.exitTask(Probes.enterTask(TASK));
    }

    @Benchmark
    public void blockingCallEnterExit() {
        Probes.blockEnd(Probes.blockBegin(SOCKET_READ));
    }

    @Benchmark
    public void budgetedEnterExit() {
        Probes.exitBudgeted(Probes.enterBudgeted(ENTRY));
    }

    @Benchmark
    public void requestEnterExit() {
        Probes.exitBudgeted(Probes.enterRequest(REQUEST, "GET", "/path"));
    }

    /** A pool worker between two jobs, as its wait for work makes it: the job ends, the next begins. */
    @Benchmark
    public void poolJobEndBegin() {
        Probes.jobBegin(Probes.jobEnd(), POOL, pool);
    }

    /** The same without naming the pool: what the pair cost before the pool rule. */
    @Benchmark
    public void poolJobEndBeginUnnamed() {
        Probes.jobBegin(Probes.jobEnd(), POOL, null);
    }

    /**
     * A thread of no known pool between two jobs it takes from a queue (the general worker-loop
     * rule): what every waiting {@code take} or {@code poll(timeout)} of a JDK queue now pays.
     */
    @Benchmark
    public void queueWaitThenJob() {
        Probes.queueJobBegins(Probes.queueWaitBegins(), QUEUE);
    }
}
