package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.VirtualThreadsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads (Java 21+; skipped when the children run on 17): stuck ones are found among many
 * short-lived ones and named as virtual, with stack and carrier; a crowd of idle ones stays silent and
 * leaves the registry when it ends; a pinned one is reported with what pins it.
 */
class VirtualThreadIT {

    private static final Pattern PASS = Pattern.compile("JVM Watchdog pass: (\\d+) thread state\\(s\\) registered");

    @BeforeEach
    void needsVirtualThreads() {
        Assumptions.assumeTrue(ItEnv.javaFeature() >= 21, "virtual threads need Java 21+");
    }

    @Test
    void spinningAndLockBlockedVirtualThreadsAreReportedAmongTenThousandShortLivedOnes(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(VirtualThreadsApp.class).args("stuck")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: churned 10000 virtual threads", Deadlines.START);
            EventsFile file = new EventsFile(events);

            Map<String, Object> spinner = StuckEvents.awaitThread(file, "vt-spinner", Deadlines.DETECT, app);
            assertEquals(Boolean.TRUE, spinner.get("virtual"), () -> "spinner " + spinner);
            assertEquals("no-progress", spinner.get("reason"), () -> "spinner " + spinner);
            assertEquals("RUNNABLE", spinner.get("state"), () -> "spinner " + spinner);
            assertTrue(String.valueOf(spinner.get("carrier")).startsWith("ForkJoinPool-"),
                    () -> "a spinning virtual thread is mounted: " + spinner);
            assertTrue(String.valueOf(spinner.get("entry")).startsWith("java.util.concurrent.ThreadPerTaskExecutor$"),
                    () -> "spinner " + spinner);
            assertTrue(StuckEvents.inFrame("io.jvmwatchdog.it.apps.VirtualThreadsApp.spin(").test(spinner),
                    () -> "the stack is read from the virtual thread: " + spinner);

            Map<String, Object> locker = StuckEvents.awaitThread(file, "vt-locker", Deadlines.DETECT, app);
            assertEquals(Boolean.TRUE, locker.get("virtual"), () -> "locker " + locker);
            assertEquals("lock-wait", locker.get("reason"), () -> "locker " + locker);
            assertEquals(Boolean.FALSE, locker.get("interruptible"), () -> "locker " + locker);
            assertNull(locker.get("carrier"), () -> "a virtual thread parked in lock() is unmounted: " + locker);
            assertTrue(String.valueOf(locker.get("blockedOn")).startsWith("java.util.concurrent.locks.ReentrantLock$NonfairSync@"),
                    () -> "locker " + locker);
            @SuppressWarnings("unchecked")
            Map<String, Object> owner = (Map<String, Object>) locker.get("lockOwner");
            assertEquals("lock-holder", owner == null ? null : owner.get("name"),
                    () -> "the platform thread holding the lock, from the dump: " + locker);

            app.awaitStderr(Pattern.compile("\"vt-spinner\" #\\d+ \\(virtual\\) running with no progress for "),
                    Deadlines.DETECT);
            app.awaitStderr(Pattern.compile("virtual thread, mounted on carrier \"ForkJoinPool-\\d+-worker-\\d+\""),
                    Deadlines.DETECT);
            // The JSON dump with every virtual thread, named at the end of the report.
            Matcher dump = app.awaitStderr(Pattern.compile(
                    "JVM Watchdog: every thread, virtual threads included, is in (\\S+-threads(?:-\\d+)?\\.json)"), Deadlines.DETECT);
            String json = Files.readString(Path.of(dump.group(1)));
            assertTrue(json.contains("\"vt-spinner\"") && json.contains("\"vt-locker\""),
                    () -> "the JSON dump lists the virtual threads\n" + app.describe());

            // Two more periods: still only those two, never a carrier or one of the short-lived threads.
            app.assertStderrStaysFreeOf(Pattern.compile("(?m)^\\t\"ForkJoinPool-"), Duration.ofSeconds(1));
            assertEquals(Set.of("vt-spinner", "vt-locker"), StuckEvents.stuckThreadNames(file), app::describe);
        }
    }

    @Test
    void oneHundredThousandIdleVirtualThreadsGiveNoReport_andLeaveTheRegistryWhenTheyEnd(@TempDir Path tmp) {
        int count = 100_000;
        try (JvmProcess app = JvmProcess.app(VirtualThreadsApp.class).args("idle", String.valueOf(count))
                .jvmArg("-Xmx1g").jvmArg("-Dwatchdog.debug=true").agent("timeout=1s").tmpDir(tmp).start()) {
            app.awaitStdout("app: parked " + count, Deadlines.START);
            // Every one is in a task (a unit): the registry holds them all...
            awaitPassWith(app, n -> n >= count, "at least " + count + " states");
            assertAgentCostPerThreadWithin64Bytes(app, count);
            // ...and three timeouts of parking on a queue are healthy.
            app.assertStderrStaysFreeOf(Pattern.compile("JVM Watchdog detected"), Duration.ofSeconds(3));
            app.sendLine("release");
            app.awaitStdout("app: released", Deadlines.START);
            awaitPassWith(app, n -> n < 100, "the ended threads' states unlinked");
            assertFalse(app.stderr().contains("could not instrument"), () -> "every row woven (the end of a virtual"
                    + " thread's run included)\n" + app.describe());
        }
    }

    @Test
    void virtualThreadParkedInAClassInitialiserIsReportedAsPinnedWithThePinningFrame(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(VirtualThreadsApp.class).args("pinned")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            Map<String, Object> pinned = StuckEvents.awaitThread(new EventsFile(events), "vt-pinned", Deadlines.DETECT, app);
            assertEquals("pinned", pinned.get("reason"), () -> "pinned " + pinned);
            assertEquals(Boolean.TRUE, pinned.get("virtual"), () -> "pinned " + pinned);
            assertNotNull(pinned.get("carrier"), () -> "a pinned thread is mounted: " + pinned);
            assertTrue(String.valueOf(pinned.get("pinnedBy")).startsWith(
                    "class initialiser io.jvmwatchdog.it.apps.VirtualThreadsApp$SlowInit.<clinit>("), () -> "pinned " + pinned);
            app.awaitStderr(Pattern.compile("\"vt-pinned\" #\\d+ \\(virtual\\): pinned to its carrier for [^\\n]*\\R"
                    + " {4}state: WAITING \\(in an uninterruptible wait\\), not interruptible\\R"
                    + " {4}waits on: waiting without unmounting \\(java\\.util\\.concurrent\\.locks\\.LockSupport\\.park\\)\\R"
                    + " {4}virtual thread, mounted on carrier \"ForkJoinPool-\\d+-worker-\\d+\"\\R"
                    + " {4}pinned by: class initialiser io\\.jvmwatchdog\\.it\\.apps\\.VirtualThreadsApp\\$SlowInit\\.<clinit>\\("),
                    Deadlines.DETECT);
        }
    }

    @Test
    void virtualThreadInAnEntryMethod_andOneBlockedOnAMonitor_areReportedByTheSameRulesAsPlatformThreads(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(VirtualThreadsApp.class).args("entry-and-monitor")
                .agent("timeout=2s,events=" + events + ",entry=io.jvmwatchdog.it.apps.VirtualThreadsApp$EntryWork#handle")
                .tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            EventsFile file = new EventsFile(events);
            Map<String, Object> entry = StuckEvents.awaitThread(file, "vt-entry", Deadlines.DETECT, app);
            assertEquals("budget-exceeded", entry.get("reason"), () -> "an entry= method parked past the timeout: " + entry);
            assertEquals("io.jvmwatchdog.it.apps.VirtualThreadsApp$EntryWork.handle", entry.get("entry"), () -> "entry " + entry);
            assertEquals(Boolean.TRUE, entry.get("virtual"), () -> "entry " + entry);

            Map<String, Object> blocked = StuckEvents.awaitThread(file, "vt-monitor", Deadlines.DETECT, app);
            assertEquals("monitor-blocked", blocked.get("reason"), () -> "blocked " + blocked);
            assertEquals("BLOCKED", blocked.get("state"), () -> "blocked " + blocked);
            assertEquals(Boolean.TRUE, blocked.get("virtual"), () -> "blocked " + blocked);
        }
    }

    @Test
    void attachCatchesAVirtualThreadThatWasAlreadySpinning(@TempDir Path tmp) {
        try (JvmProcess app = JvmProcess.app(VirtualThreadsApp.class).args("stuck")
                .jvmArg("-XX:+EnableDynamicAgentLoading").tmpDir(tmp).start()) {
            app.awaitStdout("app: churned 10000 virtual threads", Deadlines.START);
            JvmProcess.Result attach = WatchdogCli.run(Deadlines.CLI, "attach", Long.toString(app.pid()), "timeout=2s");
            assertEquals(0, attach.exitCode, () -> "attach\n" + attach.describe() + "\n" + app.describe());
            // No API lists virtual threads: they are found in the JDK's thread containers, and one
            // already inside a task is watched at once, like a pool worker in its job.
            app.awaitStderr(Pattern.compile("\"vt-spinner\" #\\d+ \\(virtual\\) running with no progress for [0-9.]+s"
                    + " \\(RUNNABLE\\), entry java\\.util\\.concurrent\\.ThreadPerTaskExecutor\\$ThreadBoundFuture\\.run"
                    + " \\(task io\\.jvmwatchdog\\.it\\.apps\\.VirtualThreadsApp\\.spin\\) \\[new]"), Deadlines.DETECT);
        }
    }

    /**
     * Issue 17: the agent's whole cost per virtual thread is at most 64 bytes, whether or not the
     * thread has thread-locals of its own. The crowd's threads have none, so a thread-local would have
     * made each a map (104 bytes) and an entry (32): the agent's classes alone must account for it,
     * counted by the JVM's class histogram (exact bytes), and the JDK's maps must not grow with the
     * crowd.
     */
    private static void assertAgentCostPerThreadWithin64Bytes(JvmProcess app, int count) {
        app.sendLine("histogram");
        app.awaitStdout("app: histogram end", Deadlines.START);
        Map<String, long[]> classes = new java.util.HashMap<>();
        Matcher line = Pattern.compile("app: histogram (\\d+) (\\d+) (\\S+)").matcher(app.stdout());
        while (line.find()) {
            classes.put(line.group(3), new long[] {Long.parseLong(line.group(1)), Long.parseLong(line.group(2))});
        }
        long[] none = {0, 0};
        long[] states = classes.getOrDefault("io.jvmwatchdog.boot.VirtualThreadState", none);
        assertTrue(states[0] >= count, () -> "positive control: a state per thread in the histogram, " + classes);
        assertEquals(40, states[1] / states[0], () -> "bytes per state: " + classes);
        long agentBytes = states[1] + classes.getOrDefault("io.jvmwatchdog.boot.UnitDetails", none)[1]
                + classes.getOrDefault("[Lio.jvmwatchdog.boot.ThreadState;", none)[1];
        assertTrue(agentBytes <= 64L * states[0], () -> "agent bytes per virtual thread: "
                + (double) agentBytes / states[0] + "; " + classes);
        long maps = classes.getOrDefault("java.lang.ThreadLocal$ThreadLocalMap", none)[0];
        assertTrue(maps < count / 10, () -> "thread-local maps the crowd was made to create: " + maps + "; " + classes);
    }

    /** Waits for a pass whose registry size {@code accepts}. */
    private static void awaitPassWith(JvmProcess app, java.util.function.IntPredicate accepts, String what) {
        long deadline = System.nanoTime() + Deadlines.DETECT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = PASS.matcher(app.stderr());
            int last = -1;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            if (last >= 0 && accepts.test(last)) {
                return;
            }
            app.assertStderrStaysFreeOf(Pattern.compile("JVM Watchdog detected"), Duration.ofMillis(200));
        }
        throw app.failure("no pass with " + what + " within " + Deadlines.DETECT.toMillis() + " ms");
    }
}
