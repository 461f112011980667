package io.jvmwatchdog.it.apps;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Spring's {@code @Async} and {@code @Scheduled} as an application without Spring Boot uses them: an
 * {@code AnnotationConfigApplicationContext} of a {@code @Configuration} class with {@code @EnableAsync}
 * and {@code @EnableScheduling}.
 *
 * <p>With no argument, every task of {@link PoolTasks} is a call of an {@code @Async void} method on
 * Spring's default executor when the context defines none: a {@code SimpleAsyncTaskExecutor}, one new
 * thread per call, no pool, no queue.
 *
 * <p>With {@code --pool-and-scheduler}, the context defines Spring Boot's kinds of executor and
 * scheduler instead: the socket read is an {@code @Async} call on a {@code ThreadPoolTaskExecutor}
 * ("workers"), and the spinning task runs inside a {@code @Scheduled(fixedRate)} method on a
 * {@code SimpleAsyncTaskScheduler} (Spring Boot's with virtual threads), which runs each fixed-rate
 * execution on a new thread of its own; the short tasks alternate between the two.
 */
public final class SpringApp {

    private SpringApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        boolean poolAndScheduler = args.length > 0 && args[0].equals("--pool-and-scheduler");
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                poolAndScheduler ? PoolAndSchedulerConfig.class : DefaultsConfig.class);
        AsyncTasks async = context.getBean(AsyncTasks.class);
        if (!poolAndScheduler) {
            PoolTasks.serve(async::run);
            return;
        }
        ScheduledTasks scheduled = context.getBean(ScheduledTasks.class);
        int[] shortTasks = {0};
        PoolTasks.serve(task -> {
            boolean onPool = switch (task) {
                case PoolTasks.READ -> true;
                case PoolTasks.SPIN -> false;
                default -> shortTasks[0]++ % 2 == 0;
            };
            if (onPool) {
                async.runOnWorkers(task);
            } else {
                scheduled.pending.add(task);
            }
        });
    }

    /** Spring's defaults: no executor, no scheduler defined. */
    @Configuration
    @EnableAsync
    @EnableScheduling
    public static class DefaultsConfig {
        @Bean
        public AsyncTasks asyncTasks() {
            return new AsyncTasks();
        }
    }

    @Configuration
    @EnableAsync
    @EnableScheduling
    public static class PoolAndSchedulerConfig {
        @Bean
        public AsyncTasks asyncTasks() {
            return new AsyncTasks();
        }

        @Bean
        public ScheduledTasks scheduledTasks() {
            return new ScheduledTasks();
        }

        @Bean
        public ThreadPoolTaskExecutor workers() {
            ThreadPoolTaskExecutor workers = new ThreadPoolTaskExecutor();
            workers.setCorePoolSize(4);
            workers.setThreadNamePrefix("workers-");
            return workers;
        }

        /** The one TaskScheduler of the context: @Scheduled methods run on it. */
        @Bean
        public SimpleAsyncTaskScheduler scheduler() {
            SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
            scheduler.setThreadNamePrefix("scheduled-");
            return scheduler;
        }
    }

    public static class AsyncTasks {
        /** On the context's default executor. */
        @Async
        public void run(String task) {
            PoolTasks.run(task);
        }

        @Async("workers")
        public void runOnWorkers(String task) {
            PoolTasks.run(task);
        }
    }

    public static class ScheduledTasks {
        final Queue<String> pending = new ConcurrentLinkedQueue<>();

        /** Every 20 ms, on a new thread each time: runs the tasks handed over since. */
        @Scheduled(fixedRate = 20)
        public void runPending() {
            for (String task = pending.poll(); task != null; task = pending.poll()) {
                PoolTasks.run(task);
            }
        }
    }
}
