package io.jvmwatchdog.core.jvm;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.core.detect.StuckDetector.PoolInspector;
import io.jvmwatchdog.core.detect.StuckDetector.PoolState;
import java.lang.reflect.Method;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Asks a pool how many workers it has and how much work waits in its queue, for the pool rule. Asked
 * once per pass about a pool some worker of which parks or sleeps inside a job (is work queued?), and
 * by the rule about one some worker of which has waited inside a job past the timeout.
 *
 * <ul>
 *   <li>{@link ForkJoinPool}: its worker count (spares included) and queued tasks, both read without a
 *   lock.</li>
 *   <li>The JDK's {@link ThreadPoolExecutor}: the worker count from its control word, without its
 *   lock ({@link JdkInternals#poolWorkerCount}); else {@code getPoolSize()}, which holds the pool's
 *   main lock for a moment (the pool never holds it across a wait). The queue's {@code size()}: a
 *   counter read for a {@code LinkedBlockingQueue}, a short lock for an {@code ArrayBlockingQueue};
 *   for a {@link ScheduledThreadPoolExecutor}, only its tasks that are due ({@link #due}).</li>
 *   <li>Copies of it, such as Tomcat's: the same public {@code getPoolSize()} and {@code getQueue()},
 *   found by name.</li>
 *   <li>JBoss Threads' {@code EnhancedQueueExecutor}: {@code getPoolSize()} and {@code getQueueSize()},
 *   found by name (counters it keeps; no lock).</li>
 * </ul>
 */
public final class JdkPools implements PoolInspector {

    /** A pool's {@code getPoolSize()} and, for its queued tasks, {@code getQueue()} or {@code getQueueSize()}. */
    private static final ClassValue<Method[]> ASKED_BY_NAME = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            try {
                Method workers = type.getMethod("getPoolSize");
                if (workers.getReturnType() != int.class) {
                    return null;
                }
                for (String name : new String[] {"getQueue", "getQueueSize"}) {
                    try {
                        Method queue = type.getMethod(name);
                        if (queue.getReturnType() == int.class || Queue.class.isAssignableFrom(queue.getReturnType())) {
                            return new Method[] {workers, queue};
                        }
                    } catch (NoSuchMethodException e) {
                        // the other name
                    }
                }
                return null;
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    @Override
    public PoolState inspect(Object pool) {
        try {
            return ask(pool);
        } catch (RuntimeException | LinkageError e) {
            return null; // a pool that cannot say (a copy whose methods throw) is never called starved
        }
    }

    private static PoolState ask(Object pool) {
        if (pool instanceof ForkJoinPool fork) {
            // Both lock-free: the worker count from the control word, the queues scanned. The count
            // includes the spares the pool added to make up for blocked workers: starved only when
            // even those wait (compensation exhausted, or waits it cannot see, such as a latch).
            long queued = fork.getQueuedSubmissionCount() + fork.getQueuedTaskCount();
            return new PoolState(fork.getPoolSize(), (int) Math.min(Integer.MAX_VALUE, queued));
        }
        if (pool instanceof ThreadPoolExecutor jdk) {
            int workers = JdkInternals.poolWorkerCount(jdk);
            return new PoolState(workers >= 0 ? workers : jdk.getPoolSize(),
                    jdk instanceof ScheduledThreadPoolExecutor ? due(jdk.getQueue()) : jdk.getQueue().size());
        }
        Method[] asked = ASKED_BY_NAME.get(pool.getClass());
        if (asked == null) {
            return null;
        }
        try {
            Object queued = asked[1].invoke(pool);
            return new PoolState((Integer) asked[0].invoke(pool),
                    queued instanceof Queue<?> q ? q.size() : (Integer) queued);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /**
     * The tasks of a scheduled pool's queue that are due: the queue also holds every task scheduled
     * for later (a cleanup an hour away, a periodic task's next run), which no free worker would take
     * now, so they are no sign of starvation. The earliest is at the head: when it is not due, none is,
     * and the queue is not copied.
     */
    private static int due(BlockingQueue<Runnable> queue) {
        if (!(queue.peek() instanceof Delayed head) || head.getDelay(TimeUnit.NANOSECONDS) > 0) {
            return 0;
        }
        int due = 0;
        for (Object task : queue.toArray()) {
            if (task instanceof Delayed d && d.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                due++;
            }
        }
        return due;
    }
}
