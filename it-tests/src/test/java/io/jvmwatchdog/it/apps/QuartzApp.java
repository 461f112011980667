package io.jvmwatchdog.it.apps;

import java.util.Properties;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz with its defaults (a {@code SimpleThreadPool}, the in-memory job store), configured in code
 * with three worker threads: each task of {@link PoolTasks} is a {@link PoolJob} scheduled to fire
 * once, now, with the task's name in its job data.
 */
public final class QuartzApp {

    private QuartzApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Properties config = new Properties();
        config.setProperty("org.quartz.scheduler.instanceName", "watched");
        config.setProperty("org.quartz.threadPool.threadCount", "3");
        config.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        config.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        Scheduler scheduler = new StdSchedulerFactory(config).getScheduler();
        scheduler.start();
        PoolTasks.serve(task -> scheduler.scheduleJob(
                JobBuilder.newJob(PoolJob.class).usingJobData("task", task).build(),
                TriggerBuilder.newTrigger().startNow().build()));
    }

    /** One run of a {@link PoolTasks} task, as a Quartz job. */
    public static final class PoolJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            PoolTasks.run(context.getMergedJobDataMap().getString("task"));
        }
    }
}
