package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.JbossThreadsApp;
import io.jvmwatchdog.it.apps.PoolTasks;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on JBoss Threads 3 (the line WildFly, Quarkus and Undertow's XNIO run): each task an
 * {@code EnhancedQueueExecutor} runs is an {@code EnhancedQueueExecutor$Task.run} unit; idle workers
 * park outside any unit. A {@code ViewExecutor}'s task is a unit of its own too, so it is watched
 * whatever executor the view delegates to.
 */
class JbossThreadsIT extends PoolContract {

    static final String EQE_TASK = "org.jboss.threads.EnhancedQueueExecutor$Task.run";
    static final String VIEW_TASK = "org.jboss.threads.EnhancedViewExecutor$EnhancedViewExecutorRunnable.run";

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(JbossThreadsApp.class).withLibraries("jboss-threads", "jboss-logging", "wildfly-common",
                "smallrye-");
    }

    @Override
    String unit() {
        return EQE_TASK;
    }

    /** Two workers, each waiting on a sub-task queued behind both: a starved pool. */
    @Test
    void aStarvedPoolIsReported(@TempDir Path tmp) {
        PoolStarvationIT.assertStarved(pool().args("--starve"), tmp, "org.jboss.threads.EnhancedQueueExecutor");
    }

    /**
     * Through views: a task spinning in a view of the pool is reported as the pool's task (the view's
     * unit nests in it); a task reading in a view of plain threads, which no pool row covers, is
     * reported as the view's.
     */
    @Test
    void viewExecutorTasksAreReported_overThePoolAndOverPlainThreads(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = pool().args("--views").agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.sendLine(PoolTasks.SPIN);
            app.sendLine(PoolTasks.READ);
            app.awaitStdout("app: spinning", Deadlines.START);
            app.awaitStdout("app: reading", Deadlines.START);
            EventsFile file = new EventsFile(events);
            String spinning = assertSpinReported(app, file, EQE_TASK);
            String reading = assertReadReported(app, file, VIEW_TASK);
            assertTrue(reading.startsWith("plain-thread-"), () -> "read on a plain thread: " + reading);
            assertEquals(Set.of(spinning, reading), StuckEvents.stuckThreadNames(file),
                    () -> "the two tasks' threads are the only offenders\n" + file.raw() + "\n" + app.describe());
        }
    }
}
