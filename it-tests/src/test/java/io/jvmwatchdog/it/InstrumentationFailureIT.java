package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.UninstrumentableApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instrumentation failure in one class is logged once, naming the class, and everything else keeps
 * working: the class runs unwatched and unchanged, and a stuck task elsewhere is reported as usual.
 */
class InstrumentationFailureIT {

    @Test
    void aClassThatCannotBeInstrumentedIsSaidOnceAndTheRestIsWatched(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(UninstrumentableApp.class)
                .agent("timeout=2s,entry=gen.Huge#run,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: gen.Huge ran", Deadlines.START);
            Map<String, Object> t = StuckEvents.awaitThread(new EventsFile(events),
                    StuckEvents.inFrame(ServerReports.frame("io.jvmwatchdog.it.apps.SpinningApp.spinForever")),
                    "the spinning task", Deadlines.DETECT, app);
            assertEquals("no-progress", t.get("reason"), () -> "event thread " + t);

            // stderr gets the report through the agent's own writer thread: it may trail the event.
            app.awaitStderr("Search for '#", Deadlines.DETECT);
            String err = app.stderr();
            assertEquals(1, Lines.count(err, "JVM Watchdog: could not instrument gen.Huge (it stays unwatched)"),
                    () -> "the failure is said once, naming the class\n" + app.describe());
            assertTrue(Lines.count(err, "could not instrument") == 1, () -> "and nothing else failed\n" + app.describe());
        }
    }
}
