package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.ReactorApp;

/**
 * Issue 16 on Reactor 3.8: {@code Schedulers.parallel()} and {@code Schedulers.boundedElastic()} run
 * their work on {@code ScheduledThreadPoolExecutor}s (one per worker), so each task is a job of the
 * JDK pool's row, with no row of Reactor's own; idle workers wait for work outside any unit. The
 * spinning task runs on {@code parallel()}, the socket read on {@code boundedElastic()}.
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

    @Override
    String readEntry() {
        return entry();
    }
}
