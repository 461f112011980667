package io.jvmwatchdog.core.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.report.DeferredReporter;
import io.jvmwatchdog.core.report.WatchdogEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The agent's logging is set up on first use, once, not when the agent is installed. */
class DeferredReporterTest {

    @Test
    void makesItsReporterOnFirstUse_andOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        RecordingReporter target = new RecordingReporter();
        DeferredReporter deferred = new DeferredReporter(() -> {
            made.incrementAndGet();
            return target;
        });
        assertEquals(0, made.get(), "nothing is set up before anything is reported");

        deferred.report(new WatchdogEvent.WatchdogStuck(Duration.ofSeconds(1), Action.LOG));
        deferred.flush(Duration.ofMillis(1));

        assertEquals(1, made.get());
        assertEquals(List.of("watchdog-stuck", "flush"), target.events, "calls reach the reporter made");
    }
}
