package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ShutdownApp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shutdown-timeout: a graceful shutdown that does not finish in time is dumped and halted. */
class ShutdownIT {

    @Test
    void aShutdownHookThatNeverReturns_isDumpedAndTheJvmHalted(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(ShutdownApp.class).args("hang")
                .agent("shutdown-timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: hook running", Deadlines.START);
            long hookAt = app.elapsedMillis();
            int status = app.awaitExit(Deadlines.EXIT);
            long tookMillis = app.elapsedMillis() - hookAt;
            assertEquals(70, status, app::describe);
            assertTrue(tookMillis < 2_000 + 3_000, () -> "halted " + tookMillis + " ms after the hook began\n" + app.describe());
            assertTrue(app.stderr().contains("JVM Watchdog: shutdown has not finished within 2s (shutdown-timeout):"
                    + " halting the JVM."), app::describe);
            assertTrue(app.stderr().contains("\"app-hook\" #"), () -> "the dump shows the hook\n" + app.describe());
        }
    }

    @Test
    void aShutdownThatFinishesInTime_endsWithItsOwnStatus_andNoReport(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(ShutdownApp.class).args("clean")
                .agent("shutdown-timeout=2s").tmpDir(tmp).start()) {
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(3, status, app::describe);
            assertFalse(app.stderr().contains("shutdown has not finished"), app::describe);
        }
    }
}
