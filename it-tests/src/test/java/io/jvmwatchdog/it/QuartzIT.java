package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.QuartzApp;

/**
 * Issue 16 on Quartz 2.5: each run of a job is a {@code JobRunShell.run} unit, on a worker of the
 * scheduler's {@code SimpleThreadPool}; idle workers wait for work outside any unit, and so does the
 * scheduler's own thread between triggers.
 */
class QuartzIT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(QuartzApp.class).withLibraries("quartz-", "slf4j-api");
    }

    @Override
    String unit() {
        return "org.quartz.core.JobRunShell.run";
    }
}
