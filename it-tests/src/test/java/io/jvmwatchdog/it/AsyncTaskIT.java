package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default rule for ForkJoinTasks: a ForkJoinPool task or CompletableFuture async spinning is stuck. */
class AsyncTaskIT {

    @Test
    void spinningForkJoinTaskIsReported(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--fork-join")
                .agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile(
                    "JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                            + "\\t\"ForkJoinPool-\\d+-worker-\\d+\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\)"
                            + ", entry java\\.util\\.concurrent\\.ForkJoinTask\\.doExec"
                            + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]"),
                    Deadlines.DETECT);
        }
    }

    @Test
    void spinningCompletableFutureIsReported(@TempDir Path tmp) {
        // The default async executor is the common pool, or a new thread per task where the common
        // pool's parallelism is 1 (two CPUs or fewer): the report's thread and entry vary with that.
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).args("--completable-future")
                .agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile(
                    "JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 2s, action log\\):\\R"
                            + "\\t\"[^\"]+\" #\\d+ running with no progress for [0-9.]+s \\(RUNNABLE\\)"
                            + ", entry java\\.util\\.concurrent\\.\\S+"
                            + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.SpinningApp\\.spinForever\\) \\[new]"),
                    Deadlines.DETECT);
        }
    }
}
