package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.PoolTasks;
import io.jvmwatchdog.it.apps.SpringApp;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on Spring 7 without Spring Boot. The contract's tasks are {@code @Async void} calls on
 * Spring's default executor, {@code SimpleAsyncTaskExecutor}: each runs on a new thread of its own,
 * in no pool, as the {@code FutureTask} that {@code submit} hands that thread, so the unit is
 * {@code FutureTask.run}. Then Spring Boot's kinds of executor and scheduler: an {@code @Async} call
 * on a {@code ThreadPoolTaskExecutor} is a job of the JDK pool it wraps, and a {@code @Scheduled}
 * method run by a {@code SimpleAsyncTaskScheduler} (a new thread per fixed-rate execution) is a
 * {@code ScheduledMethodRunnable.run} unit.
 */
class SpringIT extends PoolContract {

    static final String FUTURE_TASK = "java.util.concurrent.FutureTask.run";
    static final String SCHEDULED_METHOD = "org.springframework.scheduling.support.ScheduledMethodRunnable.run";
    static final String JDK_POOL_JOB = "java.util.concurrent.ThreadPoolExecutor.runWorker";
    /**
     * How a report names an {@code @Async} call inside a JDK unit: by its first frame outside the JDK,
     * the body of the task {@code AsyncExecutionInterceptor.invoke} submits (a lambda in Spring 7).
     */
    static final String ASYNC_CALL = " (task org.springframework.aop.interceptor.AsyncExecutionInterceptor.lambda$invoke$0)";

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(SpringApp.class).withLibraries("spring-", "commons-logging", "micrometer-");
    }

    @Override
    String unit() {
        return FUTURE_TASK;
    }

    @Override
    String entry() {
        return FUTURE_TASK + ASYNC_CALL;
    }


    @Test
    void asyncOnAThreadPoolTaskExecutor_andScheduledOnASimpleAsyncTaskScheduler_areReported(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = pool().args("--pool-and-scheduler").agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.sendLine(PoolTasks.SPIN);
            app.sendLine(PoolTasks.READ);
            app.awaitStdout("app: spinning", Deadlines.START);
            app.awaitStdout("app: reading", Deadlines.START);
            EventsFile file = new EventsFile(events);
            String spinning = assertSpinReported(app, file, SCHEDULED_METHOD);
            String reading = assertReadReported(app, file, JDK_POOL_JOB, JDK_POOL_JOB + ASYNC_CALL);
            assertTrue(spinning.startsWith("scheduled-"), () -> "spun on the scheduler's thread: " + spinning);
            assertTrue(reading.startsWith("workers-"), () -> "read on the executor's thread: " + reading);
            assertEquals(Set.of(spinning, reading), StuckEvents.stuckThreadNames(file),
                    () -> "the two tasks' threads are the only offenders\n" + file.raw() + "\n" + app.describe());
        }
    }
}
