package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.report.EventJson.EventThread;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventJsonTest {

    static final Instant TIME = Instant.parse("2026-11-26T13:56:04.415Z");

    @Test
    void line_followsThePublishedSchema_andEscapesStrings() {
        EventThread t = new EventThread("pool \"1\"\tthread", 21, "RUNNABLE", 2400,
                "java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run)", null,
                List.of("demo.Spin.run(Spin.java:12)", "a\\b\u0001"), false, null, null, "no-progress", null, null, -1, List.of(),
                true, 0);
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"stuck\",\"action\":\"log\",\"threads\":["
                + "{\"name\":\"pool \\\"1\\\"\\tthread\",\"id\":21,\"state\":\"RUNNABLE\",\"stuckMillis\":2400,"
                + "\"entry\":\"java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run)\",\"detail\":null,"
                + "\"stack\":[\"demo.Spin.run(Spin.java:12)\",\"a\\\\b\\u0001\"],\"virtual\":false,"
                + "\"reason\":\"no-progress\",\"blockedOn\":null,\"lockOwner\":null,\"chain\":[],"
                + "\"interruptible\":true,\"waiters\":0}]}\n",
                EventJson.line(TIME, "stuck", "log", List.of(t), null));
    }

    @Test
    void line_ofAVirtualThread_namesItsCarrierAndWhatPinsIt() {
        EventThread t = new EventThread("#31", 31, "WAITING", 1500, null, null, List.of("demo.Init.<clinit>(Init.java:3)"),
                true, "ForkJoinPool-1-worker-2", "class initialiser demo.Init.<clinit>(Init.java:3)", "pinned",
                null, null, -1, List.of(), false, 0);
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"stuck\",\"action\":\"log\",\"threads\":["
                + "{\"name\":\"#31\",\"id\":31,\"state\":\"WAITING\",\"stuckMillis\":1500,\"entry\":null,\"detail\":null,"
                + "\"stack\":[\"demo.Init.<clinit>(Init.java:3)\"],\"virtual\":true,\"carrier\":\"ForkJoinPool-1-worker-2\","
                + "\"pinnedBy\":\"class initialiser demo.Init.<clinit>(Init.java:3)\",\"reason\":\"pinned\",\"blockedOn\":null,"
                + "\"lockOwner\":null,\"chain\":[],\"interruptible\":false,\"waiters\":0}]}\n",
                EventJson.line(TIME, "stuck", "log", List.of(t), null));
    }

    @Test
    void line_carriesTheLockOwnerAndTheChain() {
        List<ChainLink> chain = List.of(
                new ChainLink(22, "B", Thread.State.BLOCKED, "java.lang.Object@1b", 3_000_000_000L),
                new ChainLink(23, "C", Thread.State.RUNNABLE, "in an uninterruptible wait: socket read (x.Y.read)", 4_000_000_000L));
        EventThread t = new EventThread("B", 22, "BLOCKED", 3000, null, null, List.of(), false, null, null, "monitor-blocked",
                "java.lang.Object@1b", "C", 23, chain, false, 2);
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"stuck\",\"action\":\"log\",\"threads\":["
                + "{\"name\":\"B\",\"id\":22,\"state\":\"BLOCKED\",\"stuckMillis\":3000,\"entry\":null,\"detail\":null,\"stack\":[],"
                + "\"virtual\":false,\"reason\":\"monitor-blocked\",\"blockedOn\":\"java.lang.Object@1b\","
                + "\"lockOwner\":{\"name\":\"C\",\"id\":23},\"chain\":["
                + "{\"name\":\"B\",\"id\":22,\"state\":\"BLOCKED\",\"waitsOn\":\"java.lang.Object@1b\",\"forMillis\":3000},"
                + "{\"name\":\"C\",\"id\":23,\"state\":\"RUNNABLE\",\"waitsOn\":\"in an uninterruptible wait: socket read (x.Y.read)\",\"forMillis\":4000}],"
                + "\"interruptible\":false,\"waiters\":2}]}\n",
                EventJson.line(TIME, "stuck", "log", List.of(t), null));
    }

    @Test
    void line_ofADeadlock_saysSoAndCarriesTheCycle() {
        List<ChainLink> cycle = List.of(
                new ChainLink(1, "A", Thread.State.BLOCKED, "java.lang.Object@a", 100_000_000L),
                new ChainLink(2, "B", Thread.State.BLOCKED, "java.lang.Object@b", 100_000_000L),
                new ChainLink(1, "A", Thread.State.BLOCKED, "deadlock: back to the start of the cycle", -1));
        String line = EventJson.line(TIME, "stuck", "panic", List.of(), cycle);
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"stuck\",\"action\":\"panic\",\"deadlock\":true,"
                + "\"cycle\":[{\"name\":\"A\",\"id\":1,\"state\":\"BLOCKED\",\"waitsOn\":\"java.lang.Object@a\",\"forMillis\":100},"
                + "{\"name\":\"B\",\"id\":2,\"state\":\"BLOCKED\",\"waitsOn\":\"java.lang.Object@b\",\"forMillis\":100},"
                + "{\"name\":\"A\",\"id\":1,\"state\":\"BLOCKED\",\"waitsOn\":\"deadlock: back to the start of the cycle\",\"forMillis\":-1}],"
                + "\"threads\":[]}\n", line);
    }

    @Test
    void line_withNoThreadsOrAction() {
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"recovered\",\"action\":null,\"threads\":[]}\n",
                EventJson.line(TIME, "recovered", null, List.of(), null));
    }

    @Test
    void write_appendsOneLinePerEvent_toAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "earlier\n");
        try (EventLog log = EventLog.open(file)) {
            log.write(EventJson.line(TIME, "startup-timeout", "log", List.of(), null));
            log.write(EventJson.line(TIME, "watchdog-stuck", "panic", List.of(), null));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertEquals("earlier", lines.get(0));
        assertEquals("{\"time\":\"2026-11-26T13:56:04.415Z\",\"event\":\"watchdog-stuck\",\"action\":\"panic\",\"threads\":[]}",
                lines.get(2));
    }

    @Test
    void aNewEventsFileIsOwnerOnly_anExistingOneKeepsItsPermissions(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("new.jsonl");
        EventLog.open(fresh).close();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Path shared = dir.resolve("shared.jsonl");
        Files.createFile(shared, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")));
        Files.writeString(shared, "{}\n");
        try (EventLog log = EventLog.open(shared)) {
            log.write(EventJson.line(Instant.parse("2026-12-05T00:00:00Z"), "recovered", null, List.of(), null));
        }
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)),
                "the operator's file, as the operator made it");
        assertEquals(2, Files.readAllLines(shared).size(), "appended to");
    }
}
