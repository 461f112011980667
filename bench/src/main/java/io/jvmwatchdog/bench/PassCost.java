package io.jvmwatchdog.bench;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.DeadlockFinder;
import io.jvmwatchdog.core.jvm.GcPauses;
import io.jvmwatchdog.core.jvm.JvmThreadSampler;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.report.Incident;
import io.jvmwatchdog.core.report.Reporter;
import io.jvmwatchdog.core.report.WatchdogEvent;
import io.jvmwatchdog.core.watch.LoopBackend;
import io.jvmwatchdog.core.watch.Terminator;
import io.jvmwatchdog.core.watch.Ticker;
import io.jvmwatchdog.core.watch.Watchdog;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One watchdog pass over a JVM with many platform threads, one in ten inside a watched unit (the
 * issue's shape: 10,000 threads of which 1,000 watched), all parked. Where the watched ones wait is
 * {@link #shape}: in a task the registry knows nothing more of (the costliest shape for a task: each
 * one is sampled), or parked inside jobs of a pool, whose queue is empty (a service's workers awaiting
 * replies: skipped, since no such pool can be starved) or holds work (each worker sampled, as the
 * pool rule needs; what every worker inside a job cost before the sampler asked about the queue). The pass is the real one
 * (registry walk, ThreadMXBean sampling, decisions) run on the benchmark thread, so its time is its
 * CPU time. The baseline in the same run is {@link #naiveDumpAllThreads}: what a naive watchdog does
 * every period, with stacks and locks, at a safepoint; and {@link #allThreadInfo}, the sampling that
 * passes did before they skipped idle threads. Run with {@code -prof safepoints} to count
 * the safepoints of each (the pass should have none).
 *
 * <p>Threads are limited by the machine: pid_max is 32,768 here, so 100,000 live threads are
 * virtual threads' business (issue 7), not platform threads'.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@State(Scope.Benchmark)
public class PassCost {

    @Param({"1000", "10000"})
    public int threads;

    @Param({"tasks", "idlePoolJobs", "starvingPoolJobs"})
    public String shape;

    private static final int TASK = Sites.register("bench.Worker.run", Blocking.NONE);
    private static final int PARK = Sites.register("bench.LockSupport.park", Blocking.PARK);

    private final List<Thread> parked = new ArrayList<>();
    private CountDownLatch release;
    private Watchdog watchdog;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        release = new CountDownLatch(1);
        // The pool the workers' jobs belong to: never started, so what its queue holds stays there.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        if (shape.equals("starvingPoolJobs")) {
            pool.getQueue().add(() -> { });
        }
        boolean inPool = !shape.equals("tasks");
        CountDownLatch started = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            boolean watched = i % 10 == 0;
            Thread t = new Thread(null, () -> {
                if (watched && inPool) {
                    Probes.enterPoolTask(TASK, pool);
                    Probes.blockBegin(PARK); // as the agent's park probe records it
                } else if (watched) {
                    Probes.enterTask(TASK); // inside a task, waiting: watched and healthy
                }
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // ends the thread
                }
            }, "bench-" + i, 128 * 1024);
            t.setDaemon(true);
            t.start();
            parked.add(t);
        }
        started.await();
        Options options = Options.builder().timeout(Duration.ofHours(1)).build();
        watchdog = new Watchdog(options, Ticker.system(), new JvmThreadSampler(), DeadlockFinder.platform(AgentPauses.system()),
                new GcPauses(), new NoReports(), Terminator.runtimeHalt(), new OnThisThread());
        watchdog.runPass(); // the first pass sees every thread for the first time
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        release.countDown();
        for (Thread t : parked) {
            t.join();
        }
    }

    @Benchmark
    public void pass() {
        watchdog.runPass();
    }

    /** What a pass cost before it learnt to skip idle threads: every thread's info, without stacks. */
    @Benchmark
    public Object allThreadInfo() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getThreadInfo(mx.getAllThreadIds(), 0);
    }

    @Benchmark
    public Object naiveDumpAllThreads() {
        return ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
    }

    /** Runs the sampling on the calling thread: the benchmark measures the pass, not a hand-off. */
    private static final class OnThisThread implements LoopBackend {
        @Override
        public Loop start(String name, Consumer<Loop> body) {
            throw new UnsupportedOperationException("the benchmark drives passes itself");
        }

        @Override
        public <T> T callWithDeadline(Supplier<T> call, long deadlineNanos, BooleanSupplier onOverrun) {
            return call.get();
        }

        @Override
        public boolean runBounded(String name, Runnable task, long boundNanos) {
            task.run();
            return true;
        }
    }

    /** Healthy threads give no report; this only guards against a surprise. */
    private static final class NoReports implements Reporter {
        @Override
        public void report(WatchdogEvent event) {
            if (event instanceof WatchdogEvent.Stuck) {
                throw new IllegalStateException("a healthy benchmark thread was reported stuck");
            }
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void flush(Duration bound) {
        }
    }
}
