package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.TimerApp;

/**
 * A {@code java.util.Timer}'s tasks, on the JDK alone: one run of a {@code TimerTask} is a task unit
 * named by the timer's loop, from its thread taking the task off the queue to its next look at the
 * queue; the thread waiting for the next task to be due (in {@code Object.wait}) is idle. The entry
 * names the task, as for the JDK's other task units.
 */
class TimerIT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(TimerApp.class);
    }

    @Override
    String unit() {
        return "java.util.TimerThread.mainLoop";
    }

    @Override
    String entry() {
        return unit() + " (task io.jvmwatchdog.it.apps.TimerApp$2.run)";
    }

}
