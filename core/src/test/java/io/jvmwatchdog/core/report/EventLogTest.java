package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmwatchdog.core.report.EventLog.EventThread;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    static final Instant TIME = Instant.parse("2026-11-26T13:56:04.415Z");

    @Test
    void line_followsThePublishedSchema_andEscapesStrings() {
        EventThread t = new EventThread("pool \"1\"\tthread", 21, "RUNNABLE", 2400,
                "java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run)",
                List.of("demo.Spin.run(Spin.java:12)", "a\\b\u0001"), false);
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"stuck\",\"action\":\"log\",\"threads\":["
                + "{\"name\":\"pool \\\"1\\\"\\tthread\",\"id\":21,\"state\":\"RUNNABLE\",\"stuckMillis\":2400,"
                + "\"entry\":\"java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run)\","
                + "\"stack\":[\"demo.Spin.run(Spin.java:12)\",\"a\\\\b\\u0001\"],\"virtual\":false}]}\n",
                EventLog.line(TIME, "stuck", "log", List.of(t)));
    }

    @Test
    void line_withNoThreadsOrAction() {
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"recovered\",\"action\":null,\"threads\":[]}\n",
                EventLog.line(TIME, "recovered", null, List.of()));
    }

    @Test
    void write_appendsOneLinePerEvent_toAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "earlier\n");
        try (EventLog log = EventLog.open(file)) {
            log.write(TIME, "startup-timeout", "log", List.of());
            log.write(TIME, "watchdog-stuck", "panic", List.of());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertEquals("earlier", lines.get(0));
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"watchdog-stuck\",\"action\":\"panic\",\"threads\":[]}",
                lines.get(2));
    }
}
