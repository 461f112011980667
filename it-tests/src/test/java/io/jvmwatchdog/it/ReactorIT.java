package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmwatchdog.it.apps.PoolTasks;
import io.jvmwatchdog.it.apps.ReactorApp;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on Reactor 3.8: {@code Schedulers.parallel()} and {@code Schedulers.boundedElastic()} run
 * their work on {@code ScheduledThreadPoolExecutor}s (one per worker), so each task is a job of the
 * JDK pool's row, with no row of Reactor's own; idle workers wait for work outside any unit. The
 * spinning task runs on {@code parallel()}, the socket read on {@code boundedElastic()}. On virtual
 * threads (Java 21+), {@code boundedElastic()} runs each task on a thread of its own, in no pool: a
 * {@code BoundedElasticThreadPerTaskScheduler$SchedulerTask.run} unit.
 */
class ReactorIT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(ReactorApp.class).withLibraries("reactor-core", "reactive-streams");
    }

    @Override
    String unit() {
        return "java.util.concurrent.ThreadPoolExecutor.runWorker";
    }

    /** The JDK pool's job, naming the task by Reactor's wrapper around the subscription. */
    @Override
    String entry() {
        return unit() + " (task reactor.core.scheduler.SchedulerTask.call)";
    }


    static final String VIRTUAL_TASK = "reactor.core.scheduler.BoundedElasticThreadPerTaskScheduler$SchedulerTask.run";

    @Test
    void boundedElasticOnVirtualThreads_aSpinningTaskIsReported(@TempDir Path tmp) {
        Assumptions.assumeTrue(ItEnv.javaFeature() >= 21, "virtual threads need Java 21+");
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = pool().args("--virtual-threads").agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.sendLine(PoolTasks.SPIN);
            app.awaitStdout("app: spinning", Deadlines.START);
            EventsFile file = new EventsFile(events);
            Map<String, Object> t = StuckEvents.awaitThread(file,
                    StuckEvents.inFrame(ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.spinForever")),
                    "the virtual thread spinning in a task", Deadlines.DETECT, app);
            assertEquals(Boolean.TRUE, t.get("virtual"), () -> "thread " + t);
            assertEquals(VIRTUAL_TASK, t.get("entry"), () -> "thread " + t);
            assertEquals("no-progress", t.get("reason"), () -> "thread " + t);
            app.awaitStderr(Pattern.compile("#" + t.get("id") + " \\(virtual\\) running with no progress for [0-9.]+s "
                    + "\\(RUNNABLE\\), entry " + Pattern.quote(VIRTUAL_TASK) + " \\[new]\\R"), Deadlines.DETECT);
            assertEquals(Set.of(t.get("name")), StuckEvents.stuckThreadNames(file),
                    () -> "the spinning task's thread is the only offender\n" + file.raw() + "\n" + app.describe());
        }
    }
}
