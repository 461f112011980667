package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.JbossThreadsApp;

/**
 * {@link JbossThreadsIT} on JBoss Threads 2.4 (WildFly 14-17's line), with the same program on a class
 * path of its own: there {@code EnhancedQueueExecutor} has no task wrapper, and each task runs through
 * {@code ThreadBody.doRunTask}. (The 2.x line has no views.)
 */
class JbossThreads2IT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(JbossThreadsApp.class).withJarsIn("jboss-threads-2");
    }

    @Override
    String unit() {
        return "org.jboss.threads.EnhancedQueueExecutor$ThreadBody.doRunTask";
    }

    @org.junit.jupiter.api.Test
    void aStarvedPoolIsReported(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        PoolStarvationIT.assertStarved(pool().args("--starve"), tmp, "org.jboss.threads.EnhancedQueueExecutor");
    }
}
