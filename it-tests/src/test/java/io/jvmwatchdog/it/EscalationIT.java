package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.EscalationApp;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Escalation in stages: interrupt-after, then panic-after, under action=log. */
class EscalationIT {

    @Test
    void aTaskStuckPastInterruptAfterIsInterruptedOnce_andAPanicFollowsPastPanicAfter(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(EscalationApp.class)
                .agent("timeout=1s,interrupt-after=2s,panic-after=6s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog detected 1 stuck thread\\(s\\) \\(timeout 1s, action log\\)"),
                    Deadlines.DETECT);
            app.awaitStdout("app: task interrupted", Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("WARN  \\[jvm-watchdog] JVM Watchdog: interrupted \"pool-1-thread-1\" #\\d+,"
                    + " stuck for [0-9.]+s \\(interrupt-after 2s\\)"), Deadlines.DETECT);
            Map<String, Object> interrupted = new EventsFile(events).await(e -> "interrupted".equals(e.get("event")),
                    Deadlines.DETECT, app);
            assertEquals("pool-1-thread-1", EventsFile.threads(interrupted).get(0).get("name"), () -> "event " + interrupted);
            // It spins on: the interrupt came once, and past panic-after the JVM halts.
            int status = app.awaitExit(Deadlines.EXIT);
            assertEquals(70, status, app::describe);
            assertTrue(app.stderr().contains("(timeout 1s, action panic)"), app::describe);
            assertEquals(1, app.stdout().split("app: task interrupted", -1).length - 1, app::describe);
        }
    }

    /**
     * interrupt-after spares a thread in interruptible channel I/O: the interrupt would close the
     * application's channel. The log says so, and the channel stays open.
     */
    @Test
    void aTaskStuckInChannelIo_isNotInterrupted_andItsChannelStaysOpen(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(EscalationApp.class).args("channel")
                .agent("timeout=1s,interrupt-after=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr(Pattern.compile("JVM Watchdog: did not interrupt \"pool-1-thread-1\" #\\d+, stuck for [0-9.]+s"
                    + " \\(interrupt-after 2s\\): it is in interruptible channel I/O \\(sun\\.nio\\.ch\\.SocketChannelImpl\\.read\\),"
                    + " and an interrupt would close the channel"), Deadlines.DETECT);
            app.sendLine("check");
            app.awaitStdout("app: channel open true", Deadlines.START);
            assertTrue(!app.stderr().contains("JVM Watchdog: interrupted"), app::describe);
        }
    }
}
