package io.jvmwatchdog.it.apps;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Routers;

/**
 * Apache Pekko's typed actors with their defaults (the default dispatcher, a {@code ForkJoinPool}):
 * the guardian actor hands each task of {@link PoolTasks}, a message naming it, to a pool of three
 * worker actors behind a round-robin router, and a worker runs the task in its message handler. The
 * spinning task so keeps one worker's handler busy for ever, the usual way an actor hangs its
 * dispatcher thread.
 */
public final class PekkoApp {

    private static final int WORKERS = 3;

    private PekkoApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Behavior<String> guardian = Behaviors.setup(context -> {
            ActorRef<String> workers = context.spawn(Routers.pool(WORKERS, worker()), "workers");
            return Behaviors.receiveMessage(task -> {
                workers.tell(task);
                return Behaviors.same();
            });
        });
        ActorSystem<String> system = ActorSystem.create(guardian, "watched");
        PoolTasks.serve(system::tell);
    }

    private static Behavior<String> worker() {
        return Behaviors.receiveMessage(task -> {
            PoolTasks.run(task);
            return Behaviors.same();
        });
    }
}
