package io.jvmwatchdog.it.apps;

import java.util.Timer;
import java.util.TimerTask;

/**
 * A {@code java.util.Timer}, as legacy code and many libraries still schedule with it: each task of
 * {@link PoolTasks} is a {@link TimerTask} scheduled to run at once on the timer's one thread, and a
 * periodic task every 100 ms (it does nothing) has the timer reschedule it and wait in between.
 */
public final class TimerApp {

    private TimerApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Timer timer = new Timer("watched-timer", true);
        timer.scheduleAtFixedRate(new TimerTask() {
            @Override
            public void run() {
                PoolTasks.sink++; // periodic, short, on the same thread as the tasks
            }
        }, 0, 100);
        PoolTasks.serve(name -> timer.schedule(task(name), 0));
    }

    private static TimerTask task(String name) {
        return new TimerTask() {
            @Override
            public void run() {
                PoolTasks.run(name);
            }
        };
    }
}
