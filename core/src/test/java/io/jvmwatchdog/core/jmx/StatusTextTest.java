package io.jvmwatchdog.core.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmwatchdog.core.detect.StuckDetector;
import io.jvmwatchdog.core.jvm.BusyThreads;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.watch.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status the watchdog publishes for the CLI: stuck threads first, then the longest waiting, bounded. */
class StatusTextTest {

    @Test
    void publishedAndReadBack_stuckFirst_thenLongestInState_atMostFiveHundred() {
        List<StuckDetector.Watched> judged = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            judged.add(new StuckDetector.Watched(Samples.task(100 + i, "worker\t" + i, Thread.State.WAITING, 1),
                    i * 1_000_000L, null));
        }
        judged.add(new StuckDetector.Watched(Samples.task(21, "spin", Thread.State.RUNNABLE, 1), 3_000_000L,
                StuckReason.NO_PROGRESS));
        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("passes", "36");
        counters.put("stuck detected", "1");

        List<BusyThreads.Busy> busy = List.of(new BusyThreads.Busy(22, "crunch", 100, 6_000_000_000L,
                List.of("com.example.Crunch.step(Crunch.java:20)", "com.example.Crunch.loop(Crunch.java:10)"),
                "com.example.Crunch#loop"), new BusyThreads.Busy(23, "jdk\tonly", 95, 2_000_000_000L, List.of(), null));
        String text = StatusText.format(1_764_903_600_123L, "timeout=2s,action=log", counters, judged, busy);
        StatusText.Status s = StatusText.parse(text);

        assertEquals(1_764_903_600_123L, s.publishedAtMillis());
        assertEquals("timeout=2s,action=log", s.options());
        assertEquals(counters, s.counters());
        assertEquals(StatusText.MAX_THREADS, s.threads().size());
        assertEquals(101, s.more());
        assertEquals(new StatusText.Row("\"spin\" #21", "RUNNABLE (running)", 3,
                "java.util.concurrent.ThreadPoolExecutor.runWorker", "no-progress"), s.threads().get(0));
        assertEquals(new StatusText.Row("\"worker 599\" #699", "WAITING (waiting)", 599,
                "java.util.concurrent.ThreadPoolExecutor.runWorker", "-"), s.threads().get(1), "a tab in a name is a space");
        assertEquals("\"worker 101\" #201", s.threads().get(StatusText.MAX_THREADS - 1).thread());
        assertEquals(List.of(new StatusText.BusyRow("\"crunch\" #22", 100, 6000, "com.example.Crunch#loop",
                        List.of("com.example.Crunch.step(Crunch.java:20)", "com.example.Crunch.loop(Crunch.java:10)")),
                new StatusText.BusyRow("\"jdk only\" #23", 95, 2000, "-", List.of())), s.busy(), "the blind spots");
    }
}
