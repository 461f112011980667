package io.jvmwatchdog.core.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.core.detect.StuckDetector.PoolState;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a pool says of itself: its workers (read without its lock) and its queued tasks. */
class JdkPoolsTest {

    @Test
    void aJdkPoolSaysItsWorkersAndQueue() throws Exception {
        JdkInternals.open(); // as the agent does, with the packages opened (core/pom.xml)
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try {
            assertEquals(new PoolState(0, 0), new JdkPools().inspect(pool), "no worker before the first task");
            for (int i = 0; i < 5; i++) {
                pool.execute(heldUntil(release, started));
            }
            started.await(10, TimeUnit.SECONDS);
            assertEquals(2, JdkInternals.poolWorkerCount(pool), "the control word, read without the lock");
            assertEquals(new PoolState(2, 3), new JdkPools().inspect(pool));
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    /**
     * A scheduled pool's queue holds what is scheduled for later too: only the tasks that are due count,
     * the ones a free worker would run now.
     */
    @Test
    void aScheduledPoolCountsOnlyItsDueTasks() throws Exception {
        JdkInternals.open();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            pool.schedule(() -> { }, 1, TimeUnit.HOURS);
            pool.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
            pool.execute(heldUntil(release, started));
            started.await(10, TimeUnit.SECONDS);
            assertEquals(new PoolState(1, 0), new JdkPools().inspect(pool), "nothing due: two tasks for later");
            pool.execute(() -> { });
            pool.schedule(() -> { }, 0, TimeUnit.SECONDS);
            assertEquals(new PoolState(1, 2), new JdkPools().inspect(pool), "two due behind the busy worker");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** A task that says it started, then keeps its worker until {@code release} opens. */
    private static Runnable heldUntil(CountDownLatch release, CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** A copy of the pool (Tomcat's) is asked by its public methods, found by name. */
    public static final class CopyOfThePool {
        private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

        public int getPoolSize() {
            return 7;
        }

        public LinkedBlockingQueue<Runnable> getQueue() {
            return queue;
        }
    }

    /** JBoss Threads' pool keeps a count of its queue rather than handing it out. */
    public static final class CountingPool {
        public int getPoolSize() {
            return 4;
        }

        public int getQueueSize() {
            return 9;
        }
    }

    /** A copy whose queue fails when asked its size. */
    public static final class BrokenPool {
        public int getPoolSize() {
            return 2;
        }

        public java.util.Queue<Runnable> getQueue() {
            return new java.util.ArrayDeque<>() {
                @Override
                public int size() {
                    throw new IllegalStateException("closed");
                }
            };
        }
    }

    @Test
    void aPoolThatFailsWhenAsked_saysNothing_andThrowsNothing() {
        assertNull(new JdkPools().inspect(new BrokenPool()));
    }

    @Test
    void aCopyIsAskedByName_anythingElseSaysNothing() {
        assertEquals(new PoolState(4, 9), new JdkPools().inspect(new CountingPool()));
        CopyOfThePool copy = new CopyOfThePool();
        copy.queue.add(() -> { });
        assertEquals(new PoolState(7, 1), new JdkPools().inspect(copy));
        assertNull(new JdkPools().inspect(new Object()));
    }
}
