package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.BlockingApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads waiting for locks: deadlock cycles (monitors and {@code ReentrantLock}s) reported as
 * "deadlocked" with the cycle, a wait-for chain followed to a root holder stuck in I/O, and a deadlock
 * under {@code action=panic}.
 */
class LockWaitIT {

    private static final String DUMP_HEADER = "Full thread dump";
    private static final String AGAIN = "JVM Watchdog: the stuck thread(s) again, after the dump:";
    private static final String DURATION = "\\d+(?:\\.\\d+)?m?s";

    @Test
    void synchronizedDeadlockIsReportedWithItsCycle(@TempDir Path tmp) {
        assertDeadlockReported(tmp, "monitor-deadlock", "dl-monitor-1", "dl-monitor-2", "BLOCKED",
                "blocked on a monitor", "java.lang.Object", null);
    }

    @Test
    void reentrantLockDeadlockBetweenTasksIsReportedWithItsCycle(@TempDir Path tmp) {
        assertDeadlockReported(tmp, "lock-deadlock", "dl-lock-1", "dl-lock-2", "WAITING",
                "in an uninterruptible wait", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                "java.util.concurrent.ThreadPoolExecutor.runWorker (task io.jvmwatchdog.it.apps.BlockingApp.lambda$lockDeadlock$");
    }

    /**
     * Two threads each holding what the other waits for.
     *
     * @param entryPrefix the start of both threads' entry (executor tasks), or null for plain threads
     */
    private static void assertDeadlockReported(Path tmp, String scenario, String first, String second, String state,
                                               String activity, String lockClass, String entryPrefix) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(BlockingApp.class).args(scenario)
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr("JVM Watchdog detected 2 stuck thread(s) (timeout 2s, action log):", Deadlines.DETECT);
            String entry = entryPrefix == null ? "" : ", entry " + Pattern.quote(entryPrefix) + "\\d+\\)";
            String lock = Pattern.quote(lockClass) + "@([0-9a-f]+)";
            Matcher one = app.awaitStderr(Pattern.compile("(?m)^\\t\"" + first + "\" #(\\d+) deadlocked \\(" + state + "\\): "
                    + lock + ", held by \"" + second + "\" #(\\d+)" + entry + " \\[new]$"), Deadlines.DETECT);
            Matcher two = app.awaitStderr(Pattern.compile("(?m)^\\t\"" + second + "\" #(\\d+) deadlocked \\(" + state + "\\): "
                    + lock + ", held by \"" + first + "\" #(\\d+)" + entry + " \\[new]$"), Deadlines.DETECT);
            String id1 = one.group(1);
            String id2 = two.group(1);
            String lock1 = one.group(2); // what the first waits for, held by the second
            String lock2 = two.group(2);
            assertEquals(id2, one.group(3), app::describe);
            assertEquals(id1, two.group(3), app::describe);
            assertFalse(lock1.equals(lock2), () -> "two different locks\n" + app.describe());

            // Each one's section: what it waits on, that the other waits on it, and the cycle.
            String[][] views = {{first, id1, lock1, second, id2, lock2}, {second, id2, lock2, first, id1, lock1}};
            for (String[] v : views) {
                app.awaitStderr(Pattern.compile(
                        "Stuck thread \"" + v[0] + "\" #" + v[1] + ": deadlocked\\R"
                                + " {4}state: " + state + " \\(" + Pattern.quote(activity) + "\\), not interruptible\\R"
                                + " {4}waits on: " + Pattern.quote(lockClass) + "@" + v[2] + ", held by \"" + v[3] + "\" #" + v[4] + "\\R"
                                + " {4}holds locks that 1 other thread\\(s\\) wait on\\R"
                                + " {4}deadlock cycle:\\R"
                                + " {8}\"" + v[0] + "\" #" + v[1] + " \\(" + state + "\\) waits " + DURATION + " for "
                                + Pattern.quote(lockClass) + "@" + v[2] + "\\R"
                                + " {8}-> \"" + v[3] + "\" #" + v[4] + " \\(" + state + "\\) waits " + DURATION + " for "
                                + Pattern.quote(lockClass) + "@" + v[5] + "\\R"
                                + " {8}-> \"" + v[0] + "\" #" + v[1] + " \\(" + state + "\\) deadlock: back to the start of the cycle\\R"
                                + " {4}stack:\\R"
                                + "(?:\\tat [^\\n]*\\R)*?"
                                + "\\tat io\\.jvmwatchdog\\.it\\.apps\\.BlockingApp\\.lockBoth\\("), Deadlines.DETECT);
            }
            app.awaitStderr(Pattern.compile("\"" + first + "\" #" + id1 + " [^\\n]*\\[STUCK: deadlocked]\\R"), Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("\"" + second + "\" #" + id2 + " [^\\n]*\\[STUCK: deadlocked]\\R"), Deadlines.DETECT);

            // One stuck event for the cycle, carrying both threads.
            EventsFile file = new EventsFile(events);
            Map<String, Object> event = file.await(e -> "stuck".equals(e.get("event")) && Boolean.TRUE.equals(e.get("deadlock")),
                    Deadlines.DETECT, app);
            assertEquals("log", event.get("action"), () -> "event " + event);
            List<Map<String, Object>> cycle = StuckEvents.links(event, "cycle");
            assertEquals(3, cycle.size(), () -> "two links and the way back: " + event);
            assertEquals(Set.of(first, second), Set.copyOf(StuckEvents.names(cycle)), () -> "event " + event);
            assertEquals(cycle.get(0).get("name"), cycle.get(2).get("name"), () -> "back to the start: " + event);
            assertEquals("deadlock: back to the start of the cycle", cycle.get(2).get("waitsOn"), () -> "event " + event);
            assertEquals(-1L, cycle.get(2).get("forMillis"), () -> "event " + event);
            for (int i = 0; i < 2; i++) {
                Map<String, Object> link = cycle.get(i);
                assertEquals(state, link.get("state"), () -> "event " + event);
                assertTrue(((String) link.get("waitsOn")).startsWith(lockClass + "@"), () -> "event " + event);
                assertTrue((Long) link.get("forMillis") >= 0, () -> "event " + event);
            }
            assertEquals(2, EventsFile.threads(event).size(), () -> "event " + event);
            String[][] pairs = {{first, id1, second, id2, lock1}, {second, id2, first, id1, lock2}};
            for (String[] p : pairs) {
                Map<String, Object> t = StuckEvents.thread(event, p[0]);
                assertTrue(t != null, () -> p[0] + " in the deadlock event: " + event);
                assertEquals(Long.parseLong(p[1]), t.get("id"), () -> "event " + event);
                assertEquals("deadlock", t.get("reason"), () -> "event " + event);
                assertEquals(state, t.get("state"), () -> "event " + event);
                assertEquals(lockClass + "@" + p[4], t.get("blockedOn"), () -> "event " + event);
                assertEquals(Map.of("name", p[2], "id", Long.parseLong(p[3])), t.get("lockOwner"), () -> "event " + event);
                assertEquals(Boolean.FALSE, t.get("interruptible"), () -> "event " + event);
                assertEquals(1L, t.get("waiters"), () -> "event " + event);
                assertEquals(List.of(), t.get("chain"), () -> "the cycle is the event's: " + event);
                if (entryPrefix == null) {
                    assertNull(t.get("entry"), () -> "plain threads: " + event);
                } else {
                    assertTrue(((String) t.get("entry")).startsWith(entryPrefix), () -> "event " + event);
                }
                assertTrue(EventsFile.stack(t).stream().anyMatch(f -> f.startsWith("io.jvmwatchdog.it.apps.BlockingApp.lockBoth(")),
                        () -> "event " + event);
                assertEquals(1, StuckEvents.eventsNaming(file, p[0]), () -> "one stuck event per offender:\n" + file.raw());
            }
        }
    }

    /**
     * "chain-A" blocked on a monitor held by "chain-B", which waits in {@code ReentrantLock.lock()} for
     * "chain-C", which reads from a silent peer. A and B are stuck (the lock rules apply to any thread);
     * C is in no unit and only named as the root of the chain, with what it is doing.
     */
    @Test
    void waitForChainIsFollowedToTheRootHolderStuckInASocketRead(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(BlockingApp.class).args("chain")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            String lockClass = Pattern.quote("java.util.concurrent.locks.ReentrantLock$NonfairSync");
            Matcher b = app.awaitStderr(Pattern.compile("(?m)^\\t\"chain-B\" #(\\d+) waiting to acquire a lock for " + DURATION
                    + " \\(WAITING\\): " + lockClass + "@([0-9a-f]+), held by \"chain-C\" #(\\d+) \\[new]$"), Deadlines.DETECT);
            String idB = b.group(1);
            String lock = b.group(2);
            String idC = b.group(3);
            Matcher a = app.awaitStderr(Pattern.compile("(?m)^\\t\"chain-A\" #(\\d+) blocked entering a monitor for " + DURATION
                    + " \\(BLOCKED\\): java\\.lang\\.Object@([0-9a-f]+), held by \"chain-B\" #" + idB + " \\[new]$"), Deadlines.DETECT);
            String idA = a.group(1);
            String monitor = a.group(2);

            app.awaitStderr(Pattern.compile(
                    "Stuck thread \"chain-A\" #" + idA + ": blocked entering a monitor for " + DURATION + "\\R"
                            + " {4}state: BLOCKED \\(blocked on a monitor\\), not interruptible\\R"
                            + " {4}waits on: java\\.lang\\.Object@" + monitor + ", held by \"chain-B\" #" + idB + "\\R"
                            + " {4}wait-for chain:\\R"
                            + " {8}\"chain-A\" #" + idA + " \\(BLOCKED\\) waits " + DURATION + " for java\\.lang\\.Object@" + monitor + "\\R"
                            + " {8}-> \"chain-B\" #" + idB + " \\(WAITING\\) waits " + DURATION + " for " + lockClass + "@" + lock + "\\R"
                            + " {8}-> \"chain-C\" #" + idC + " \\(RUNNABLE\\) in an uninterruptible wait:"
                            + " socket read \\(sun\\.nio\\.ch\\.NioSocketImpl\\.read\\) for " + DURATION + "\\R"
                            + " {4}stack:\\R"), Deadlines.DETECT);
            app.awaitStderr(Pattern.compile(
                    "Stuck thread \"chain-B\" #" + idB + ": waiting to acquire a lock for " + DURATION + "\\R"
                            + " {4}state: WAITING \\(in an uninterruptible wait\\), not interruptible\\R"
                            + " {4}waits on: " + lockClass + "@" + lock + ", held by \"chain-C\" #" + idC + "\\R"
                            + " {4}holds locks that 1 other thread\\(s\\) wait on\\R"
                            + " {4}wait-for chain:\\R"
                            + " {8}\"chain-B\" #" + idB + " \\(WAITING\\) waits " + DURATION + " for " + lockClass + "@" + lock + "\\R"
                            + " {8}-> \"chain-C\" #" + idC + " \\(RUNNABLE\\) in an uninterruptible wait:"
                            + " socket read \\(sun\\.nio\\.ch\\.NioSocketImpl\\.read\\) for " + DURATION + "\\R"
                            + " {4}stack:\\R"
                            + "(?:\\tat [^\\n]*\\R)*?"
                            + "\\tat java\\.util\\.concurrent\\.locks\\.ReentrantLock\\.lock\\("), Deadlines.DETECT);

            EventsFile file = new EventsFile(events);
            Map<String, Object> ta = StuckEvents.awaitThread(file, "chain-A", Deadlines.DETECT, app);
            assertEquals("monitor-blocked", ta.get("reason"), () -> "event thread " + ta);
            assertEquals("BLOCKED", ta.get("state"), () -> "event thread " + ta);
            assertEquals("java.lang.Object@" + monitor, ta.get("blockedOn"), () -> "event thread " + ta);
            assertEquals(Map.of("name", "chain-B", "id", Long.parseLong(idB)), ta.get("lockOwner"), () -> "event thread " + ta);
            assertEquals(Boolean.FALSE, ta.get("interruptible"), () -> "event thread " + ta);
            assertNull(ta.get("entry"), () -> "a plain thread: " + ta);
            List<Map<String, Object>> chain = StuckEvents.links(ta, "chain");
            assertEquals(List.of("chain-A", "chain-B", "chain-C"), StuckEvents.names(chain), () -> "event thread " + ta);
            assertEquals(List.of(Long.parseLong(idA), Long.parseLong(idB), Long.parseLong(idC)),
                    List.of(chain.get(0).get("id"), chain.get(1).get("id"), chain.get(2).get("id")), () -> "event thread " + ta);
            assertEquals(List.of("BLOCKED", "WAITING", "RUNNABLE"),
                    List.of(chain.get(0).get("state"), chain.get(1).get("state"), chain.get(2).get("state")), () -> "event thread " + ta);
            assertEquals("java.lang.Object@" + monitor, chain.get(0).get("waitsOn"), () -> "event thread " + ta);
            assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync@" + lock, chain.get(1).get("waitsOn"),
                    () -> "event thread " + ta);
            assertEquals("in an uninterruptible wait: socket read (sun.nio.ch.NioSocketImpl.read)", chain.get(2).get("waitsOn"),
                    () -> "event thread " + ta);
            chain.forEach(l -> assertTrue((Long) l.get("forMillis") >= 0, () -> "event thread " + ta));

            Map<String, Object> tb = StuckEvents.awaitThread(file, "chain-B", Deadlines.DETECT, app);
            assertEquals("lock-wait", tb.get("reason"), () -> "event thread " + tb);
            assertEquals("WAITING", tb.get("state"), () -> "event thread " + tb);
            assertEquals(Map.of("name", "chain-C", "id", Long.parseLong(idC)), tb.get("lockOwner"), () -> "event thread " + tb);
            assertEquals(Boolean.FALSE, tb.get("interruptible"), () -> "event thread " + tb);
            assertEquals(1L, tb.get("waiters"), () -> "A waits on B: " + tb);
            assertEquals(List.of("chain-B", "chain-C"), StuckEvents.names(StuckEvents.links(tb, "chain")), () -> "event thread " + tb);

            // C is the root, not an offender: in no unit of work, and doing I/O is no lock rule.
            String err = app.stderr();
            assertFalse(err.contains("Stuck thread \"chain-C\""), () -> "C is not reported\n" + app.describe());
            assertFalse(Pattern.compile("(?m)^\\t\"chain-C\" #").matcher(err).find(), () -> "C is not reported\n" + app.describe());
            assertFalse(err.contains("deadlocked"), () -> "a chain is no deadlock\n" + app.describe());
            assertEquals(0, StuckEvents.eventsNaming(file, "chain-C"), file::raw);
        }
    }

    /** {@code action=panic}: the deadlock report, the dump, the offenders once more, then exit 70. */
    @Test
    void deadlockUnderPanicHaltsWith70AndRepeatsTheOffendersAfterTheDump(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(BlockingApp.class).args("monitor-deadlock")
                .agent("timeout=2s,action=panic,events=" + events).tmpDir(tmp).start()) {
            int status = app.awaitExit(Duration.ofSeconds(20));
            assertEquals(70, status, () -> "exit status\n" + app.describe());
            assertTrue(app.stdout().contains("app: ready"), app::describe);
            String err = app.stderr();
            assertTrue(Pattern.compile("JVM Watchdog detected 2 stuck thread\\(s\\) \\(timeout 2s, action panic\\):\\R"
                    + "(?:\\t\"dl-monitor-[12]\" #\\d+ deadlocked \\(BLOCKED\\): [^\\n]*\\[new]\\R){2}").matcher(err).find(),
                    () -> "the summary\n" + app.describe());
            int dump = err.indexOf(DUMP_HEADER);
            int again = err.indexOf(AGAIN);
            assertTrue(dump >= 0, () -> "with the dump\n" + app.describe());
            assertTrue(again > dump, () -> "the offenders again, after the dump\n" + app.describe());
            String tail = err.substring(again);
            for (String name : List.of("dl-monitor-1", "dl-monitor-2")) {
                assertTrue(Pattern.compile("Stuck thread \"" + name + "\" #\\d+: deadlocked\\R"
                        + " {4}state: BLOCKED \\(blocked on a monitor\\), not interruptible\\R"
                        + "(?:[^\\n]*\\R)*? {4}deadlock cycle:\\R").matcher(tail).find(),
                        () -> name + "'s section after the dump\n" + app.describe());
            }
            assertEquals(1, Lines.count(err, AGAIN), () -> "said again once\n" + app.describe());

            EventsFile file = new EventsFile(events);
            List<Map<String, Object>> stuck = file.events("stuck");
            assertEquals(1, stuck.size(), () -> "the deadlock's event, written before the halt\n" + file.raw());
            assertEquals("panic", stuck.get(0).get("action"), file::raw);
            assertEquals(Boolean.TRUE, stuck.get(0).get("deadlock"), file::raw);
        }
    }
}
