package io.jvmwatchdog.it.apps;

import kotlin.Unit;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;

/**
 * Kotlin coroutines, used from Java the way Kotlin code uses them: each task of {@link PoolTasks} is a
 * coroutine {@code launch}ed in a scope, on {@code Dispatchers.Default}, except the socket read, which
 * is launched on {@code Dispatchers.IO} (where blocking I/O belongs). Both dispatchers run their
 * coroutines on the workers of one {@code CoroutineScheduler}. The coroutine's body is a plain Java
 * lambda: a suspend block is a {@code Function2<CoroutineScope, Continuation, Object>} on the JVM, and
 * one that never suspends simply returns its result.
 */
public final class KotlinCoroutinesApp {

    private KotlinCoroutinesApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        CoroutineScope scope = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        PoolTasks.serve(task -> launch(scope, task.equals(PoolTasks.READ) ? Dispatchers.getIO() : Dispatchers.getDefault(),
                task));
    }

    /** {@code scope.launch(dispatcher) { PoolTasks.run(task) }}. */
    private static void launch(CoroutineScope scope, CoroutineDispatcher dispatcher, String task) {
        BuildersKt.launch(scope, dispatcher, CoroutineStart.DEFAULT, (coroutineScope, continuation) -> {
            PoolTasks.run(task);
            return Unit.INSTANCE;
        });
    }
}
