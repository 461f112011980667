package io.jvmwatchdog.it.apps;

import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's schedulers as its users reach them: each task of {@link PoolTasks} is a
 * {@code Mono.fromRunnable(...)} subscribed on a scheduler. The spinning task runs on
 * {@code Schedulers.parallel()} (CPU-bound work), the socket read on {@code Schedulers.boundedElastic()}
 * (where Reactor tells users to put blocking calls), and the short tasks alternate between the two.
 *
 * <p>With {@code --virtual-threads} (Java 21+), every task goes to {@code boundedElastic()} switched to
 * virtual threads the way Reactor documents it, by the system property
 * {@code reactor.schedulers.defaultBoundedElasticOnVirtualThreads}, set before Reactor reads it: each
 * task then runs on a new virtual thread of its own.
 */
public final class ReactorApp {

    private ReactorApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        if (args.length > 0 && args[0].equals("--virtual-threads")) {
            System.setProperty("reactor.schedulers.defaultBoundedElasticOnVirtualThreads", "true");
            PoolTasks.serve(task -> Mono.fromRunnable(() -> PoolTasks.run(task)).subscribeOn(Schedulers.boundedElastic())
                    .subscribe());
            return;
        }
        AtomicLong shortTasks = new AtomicLong();
        PoolTasks.serve(task -> {
            Scheduler scheduler = switch (task) {
                case PoolTasks.SPIN -> Schedulers.parallel();
                case PoolTasks.READ -> Schedulers.boundedElastic();
                default -> shortTasks.incrementAndGet() % 2 == 0 ? Schedulers.parallel() : Schedulers.boundedElastic();
            };
            Mono.fromRunnable(() -> PoolTasks.run(task)).subscribeOn(scheduler).subscribe();
        });
    }
}
