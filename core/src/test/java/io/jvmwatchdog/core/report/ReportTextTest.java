package io.jvmwatchdog.core.report;

import static io.jvmwatchdog.core.watch.Samples.budgeted;
import static io.jvmwatchdog.core.watch.Samples.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.base.Frames;
import io.jvmwatchdog.core.config.Action;
import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.JvmStall;
import io.jvmwatchdog.core.model.LockRef;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.Recovery;
import io.jvmwatchdog.core.model.StuckReason;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.model.UnitKind;
import io.jvmwatchdog.core.model.WaitKind;
import io.jvmwatchdog.core.watch.Samples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTextTest {

    @Test
    void stuckSummary_withDump_namesEachThreadAndWhereToLook() {
        Incident incident = new Incident(List.of(
                new Offender(task(21, "pool-1-thread-1", Thread.State.RUNNABLE, 1), 2_400_000_000L, true, StuckReason.NO_PROGRESS),
                new Offender(budgeted(22, "importer", Thread.State.WAITING, 1), 185_000_000_000L, false, StuckReason.BUDGET_EXCEEDED)),
                Action.LOG, Duration.ofSeconds(2), Incident.Dump.TAKEN, -1);
        assertEquals("JVM Watchdog detected 2 stuck thread(s) (timeout 2s, action log):\n"
                + "\t\"pool-1-thread-1\" #21 running with no progress for 2.4s (RUNNABLE), entry "
                + "java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run) [new]\n"
                + "\t\"importer\" #22 in one state for 3m 5s (WAITING), entry com.example.Worker.process\n"
                + "Search for '#21', '#22' in the thread dump below.",
                ReportText.stuckSummary(incident, Map.of(21L, "demo.Spin.run")));
    }

    @Test
    void stuckSummary_withoutDump_saysItWasSkippedAndWhen() {
        Incident incident = new Incident(List.of(
                new Offender(task(21, "spin", Thread.State.RUNNABLE, 1), 62_000_000_000L, false, StuckReason.NO_PROGRESS)),
                Action.LOG, Duration.ofSeconds(2), Incident.Dump.REPEAT, 60_000_000_000L);
        assertEquals("JVM Watchdog detected 1 stuck thread(s) (timeout 2s, action log):\n"
                + "\t\"spin\" #21 running with no progress for 1m 2s (RUNNABLE), entry "
                + "java.util.concurrent.ThreadPoolExecutor.runWorker\n"
                + "...[thread dump skipped: the same thread(s) were reported with a dump 1m ago]...",
                ReportText.stuckSummary(incident, Map.of()));
    }

    @Test
    void stuckSummary_withADumpDeferred_saysWhyAndWhereTheStacksAre() {
        List<Offender> one = List.of(
                new Offender(task(21, "spin", Thread.State.RUNNABLE, 1), 2_500_000_000L, true, StuckReason.NO_PROGRESS));
        String head = "JVM Watchdog detected 1 stuck thread(s) (timeout 2s, action log):\n"
                + "\t\"spin\" #21 running with no progress for 2.5s (RUNNABLE), entry "
                + "java.util.concurrent.ThreadPoolExecutor.runWorker [new]\n";
        assertEquals(head + "...[thread dump deferred: the last one was taken 12s ago, and one is taken at most once a"
                        + " minute; each stuck thread's stack is in its section below]...",
                ReportText.stuckSummary(new Incident(one, Action.LOG, Duration.ofSeconds(2), Incident.Dump.DEFERRED,
                        12_000_000_000L), Map.of()));
        assertEquals(head + "...[thread dump deferred: it would take the agent's own stop-the-world time past 1 % of the"
                        + " last minute; each stuck thread's stack is in its section below]...",
                ReportText.stuckSummary(new Incident(one, Action.LOG, Duration.ofSeconds(2), Incident.Dump.OVER_BUDGET,
                        -1), Map.of()));
    }

    @Test
    void recovered_saysForHowLong() {
        assertEquals("JVM Watchdog: \"spin\" #21 recovered after being stuck for 4.4s, entry "
                + "java.util.concurrent.ThreadPoolExecutor.runWorker",
                ReportText.recovered(new Recovery(task(21, "spin", Thread.State.RUNNABLE, 1), 4_400_000_000L)));
    }

    @Test
    void entryWithTask_namesTheEntryThenWhatItServesThenTheTask() {
        assertEquals("org.eclipse.jetty.server.Server.handle (request GET /orders)",
                ReportText.entryWithTask("org.eclipse.jetty.server.Server.handle", "request GET /orders", null));
        assertEquals("java.util.concurrent.ThreadPoolExecutor.runWorker (task demo.Spin.run)",
                ReportText.entryWithTask("java.util.concurrent.ThreadPoolExecutor.runWorker", null, "demo.Spin.run"));
        assertEquals("unknown (request GET /) (task a.B.c)", ReportText.entryWithTask(null, "request GET /", "a.B.c"));
    }

    @Test
    void taskFrame_isTheFirstApplicationFrameAboveTheEntry() {
        StackTraceElement[] stack = {
            frame("demo.Spin", "loop"),
            frame("demo.Spin", "run"),
            frame("java.util.concurrent.FutureTask", "run"),
            frame("java.util.concurrent.ThreadPoolExecutor", "runWorker"),
            frame("java.util.concurrent.ThreadPoolExecutor$Worker", "run"),
            frame("java.lang.Thread", "run")};
        assertEquals("demo.Spin.run", ReportText.taskFrame("java.util.concurrent.ThreadPoolExecutor.runWorker", stack));
        assertNull(ReportText.taskFrame("com.example.Worker.process", stack), "an entry= method names itself");
        assertNull(ReportText.taskFrame("java.util.concurrent.ForkJoinTask.doExec", stack), "entry not on the stack");
    }

    @Test
    void frame_isPrintedTheWayJstackPrintsIt() {
        assertEquals("java.lang.Thread.sleep(java.base@17.0.15/Native Method)",
                Frames.jstack(new StackTraceElement(null, "java.base", "17.0.15", "java.lang.Thread", "sleep", null, -2)));
        assertEquals("demo.Spin.run(Spin.java:12)",
                Frames.jstack(new StackTraceElement("app", null, null, "demo.Spin", "run", "Spin.java", 12)));
        assertEquals("demo.Gen.run(Unknown Source)",
                Frames.jstack(new StackTraceElement("demo.Gen", "run", null, -1)));
    }

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    @Test
    void offenderSections_sayWhatEachWaitsOnWhoHoldsItTheChainAndTheStack() {
        ThreadSample c = Samples.inCall(Samples.unwatched(3, "C", Thread.State.RUNNABLE), WaitKind.SOCKET_READ,
                "sun.nio.ch.NioSocketImpl.read");
        ThreadSample b = Samples.waitingOn(Samples.inCall(Samples.unwatched(2, "B", Thread.State.WAITING), WaitKind.LOCK,
                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire"),
                new LockRef("java.util.concurrent.locks.ReentrantLock$NonfairSync", 0x4e5f), c);
        List<ChainLink> chain = List.of(
                new ChainLink(2, "B", Thread.State.WAITING, "java.util.concurrent.locks.ReentrantLock$NonfairSync@4e5f", 3_000_000_000L),
                new ChainLink(3, "C", Thread.State.RUNNABLE,
                        "in an uninterruptible wait: socket read (sun.nio.ch.NioSocketImpl.read)", 3_500_000_000L));
        Offender o = new Offender(b, 3_000_000_000L, true, StuckReason.LOCK_WAIT).withContext(chain, 1, List.of());
        StackTraceElement[] stack = {new StackTraceElement("java.util.concurrent.locks.ReentrantLock", "lock", null, -1),
            new StackTraceElement("demo.B", "run", "B.java", 7)};
        assertEquals("Stuck thread \"B\" #2: waiting to acquire a lock for 3s\n"
                + "    state: WAITING (in an uninterruptible wait), not interruptible\n"
                + "    waits on: java.util.concurrent.locks.ReentrantLock$NonfairSync@4e5f, held by \"C\" #3\n"
                + "    holds locks that 1 other thread(s) wait on\n"
                + "    wait-for chain:\n"
                + "        \"B\" #2 (WAITING) waits 3s for java.util.concurrent.locks.ReentrantLock$NonfairSync@4e5f\n"
                + "        -> \"C\" #3 (RUNNABLE) in an uninterruptible wait: socket read (sun.nio.ch.NioSocketImpl.read) for 3.5s\n"
                + "    stack:\n"
                + "\tat java.util.concurrent.locks.ReentrantLock.lock(Unknown Source)\n"
                + "\tat demo.B.run(B.java:7)\n",
                ReportText.offenderSections(List.of(o), Map.of(2L, stack), Map.of()));
    }

    @Test
    void offenderSections_groupOffendersAlikeButForNameAndTime_theWayDumpAnalysersDo() {
        StackTraceElement[] socketRead = {
            new StackTraceElement(null, "java.base", "17.0.15", "sun.nio.ch.NioSocketImpl", "read", "NioSocketImpl.java", 350),
            new StackTraceElement("app", null, null, "demo.Dao", "query", "Dao.java", 40)};
        StackTraceElement[] elsewhere = {new StackTraceElement("app", null, null, "demo.Dao", "other", "Dao.java", 50)};
        List<Offender> offenders = new java.util.ArrayList<>();
        Map<Long, StackTraceElement[]> stacks = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            ThreadSample s = Samples.inCall(Samples.budgeted(40 + i, "db-" + i, Thread.State.RUNNABLE, 1),
                    WaitKind.SOCKET_READ, "sun.nio.ch.NioSocketImpl.read");
            offenders.add(new Offender(s, (5 + i) * 1_000_000_000L, i == 2, StuckReason.UNINTERRUPTIBLE_WAIT));
            stacks.put(40L + i, socketRead.clone());
        }
        ThreadSample alone = Samples.inCall(Samples.budgeted(50, "db-other", Thread.State.RUNNABLE, 1),
                WaitKind.SOCKET_READ, "sun.nio.ch.NioSocketImpl.read");
        offenders.add(1, new Offender(alone, 6_000_000_000L, false, StuckReason.UNINTERRUPTIBLE_WAIT));
        stacks.put(50L, elsewhere);
        assertEquals("3 threads stuck at the same frame: in one uninterruptible wait for 5s to 7s\n"
                + "    threads: \"db-0\" #40, \"db-1\" #41, \"db-2\" #42\n"
                + "    state: RUNNABLE (in an uninterruptible wait), not interruptible\n"
                + "    waits on: socket read (sun.nio.ch.NioSocketImpl.read)\n"
                + "    stack:\n"
                + "\tat sun.nio.ch.NioSocketImpl.read(java.base@17.0.15/NioSocketImpl.java:350)\n"
                + "\tat demo.Dao.query(Dao.java:40)\n"
                + "Stuck thread \"db-other\" #50: in one uninterruptible wait for 6s\n"
                + "    state: RUNNABLE (in an uninterruptible wait), not interruptible\n"
                + "    waits on: socket read (sun.nio.ch.NioSocketImpl.read)\n"
                + "    stack:\n"
                + "\tat demo.Dao.other(Dao.java:50)\n",
                ReportText.offenderSections(offenders, stacks, Map.of()));
    }

    @Test
    void offenderSections_areCutWithAMarker_soTheReportStaysInItsBudget() {
        List<Offender> offenders = new java.util.ArrayList<>();
        Map<Long, StackTraceElement[]> stacks = new java.util.HashMap<>();
        for (int i = 0; i < 3000; i++) { // 3,000 distinct stacks 100 frames deep
            offenders.add(new Offender(task(i, "w-" + i, Thread.State.RUNNABLE, 1), 3_000_000_000L, true, StuckReason.NO_PROGRESS));
            StackTraceElement[] stack = new StackTraceElement[100];
            for (int f = 0; f < stack.length; f++) {
                stack[f] = new StackTraceElement("demo.Deep" + i, "level" + f, "Deep.java", f);
            }
            stacks.put((long) i, stack);
        }
        String text = ReportText.offenderSections(offenders, stacks, Map.of());
        assertTrue(text.length() < ReportText.SECTIONS_LIMIT_CHARS + 8 * 1024, "cut near the limit: " + text.length());
        assertTrue(text.startsWith("Stuck thread \"w-0\" #0: running with no progress for 3s\n"), "the first ones whole");
        java.util.regex.Matcher cut = java.util.regex.Pattern.compile("\\.\\.\\. (\\d+) more stuck thread\\(s\\) without a section"
                + " here: the report passed 1024 KiB \\(the events file has every new one, with its stack\\) \\.\\.\\.\n$").matcher(text);
        assertTrue(cut.find(), "ends with the marker: " + text.substring(text.length() - 300));
        int shown = text.split("\nStuck thread ", -1).length; // sections shown, the first one included
        assertEquals(3000, shown + Integer.parseInt(cut.group(1)), "every offender is shown or counted");
    }

    @Test
    void offenderSections_ofADeadlock_showTheCycle_andARunningThreadWaitsOnNothing() {
        ThreadSample a = Samples.unwatched(1, "A", Thread.State.BLOCKED);
        List<ChainLink> cycle = List.of(
                new ChainLink(1, "A", Thread.State.BLOCKED, "java.lang.Object@b", 500_000_000L),
                new ChainLink(2, "B", Thread.State.BLOCKED, "java.lang.Object@a", 500_000_000L),
                new ChainLink(1, "A", Thread.State.BLOCKED, "deadlock: back to the start of the cycle", -1));
        Offender dead = new Offender(a, 500_000_000L, true, StuckReason.DEADLOCK).withContext(cycle, 1, cycle);
        Offender spin = new Offender(task(21, "spin", Thread.State.RUNNABLE, 1), 2_000_000_000L, true, StuckReason.NO_PROGRESS);
        assertEquals("Stuck thread \"A\" #1: deadlocked\n"
                + "    state: BLOCKED (blocked on a monitor), not interruptible\n"
                + "    holds locks that 1 other thread(s) wait on\n"
                + "    deadlock cycle:\n"
                + "        \"A\" #1 (BLOCKED) waits 500ms for java.lang.Object@b\n"
                + "        -> \"B\" #2 (BLOCKED) waits 500ms for java.lang.Object@a\n"
                + "        -> \"A\" #1 (BLOCKED) deadlock: back to the start of the cycle\n"
                + "Stuck thread \"spin\" #21: running with no progress for 2s\n"
                + "    state: RUNNABLE (running)\n",
                ReportText.offenderSections(List.of(dead, spin), Map.of(), Map.of()));
    }

    @Test
    void offenderSections_ofAPinnedVirtualThread_nameItsCarrierAndThePinningFrame() {
        // Java 17 has no virtual threads: any thread object stands in (only its presence matters here).
        ThreadSample pinned = new ThreadSample(31, "", true, Thread.currentThread(), UnitKind.TASK,
                "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run", null, 4, WaitKind.PINNED,
                "java.util.concurrent.locks.LockSupport.park", Thread.State.WAITING, 0, 0, null, -1, null, false);
        StackTraceElement[] stack = {
            new StackTraceElement(null, null, null, "jdk.internal.misc.Unsafe", "park", null, -2),
            new StackTraceElement("java.lang.VirtualThread", "parkOnCarrierThread", "VirtualThread.java", 817),
            new StackTraceElement("java.util.concurrent.locks.LockSupport", "park", "LockSupport.java", 367),
            new StackTraceElement("demo.Init", "<clinit>", "Init.java", 3),
            new StackTraceElement("demo.Task", "run", "Task.java", 9)};
        Offender o = new Offender(pinned, 2_000_000_000L, true, StuckReason.PINNED);
        assertEquals("Stuck thread #31 (virtual): pinned to its carrier for 2s\n"
                + "    state: WAITING (in an uninterruptible wait), not interruptible\n"
                + "    waits on: waiting without unmounting (java.util.concurrent.locks.LockSupport.park)\n"
                + "    virtual thread, mounted on carrier \"ForkJoinPool-1-worker-2\"\n"
                + "    pinned by: class initialiser demo.Init.<clinit>(Init.java:3)\n"
                + "    stack:\n"
                + "\tat jdk.internal.misc.Unsafe.park(Native Method)\n"
                + "\tat java.lang.VirtualThread.parkOnCarrierThread(VirtualThread.java:817)\n"
                + "\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:367)\n"
                + "\tat demo.Init.<clinit>(Init.java:3)\n"
                + "\tat demo.Task.run(Task.java:9)\n",
                ReportText.offenderSections(List.of(o), Map.of(31L, stack), Map.of(31L, "ForkJoinPool-1-worker-2")));
        assertEquals("#31", ReportText.name(pinned), "an unnamed virtual thread is named by its id");

        // Blocked on a monitor while mounted, with no native frame or initialiser: synchronized pins (21-23).
        ThreadSample blocked = new ThreadSample(32, "vt", true, Thread.currentThread(), UnitKind.TASK, "x.Y.run", null, 4,
                null, null, Thread.State.BLOCKED, 0, 0, null, -1, null, false);
        Offender b = new Offender(blocked, 2_000_000_000L, true, StuckReason.MONITOR_BLOCKED);
        assertEquals("a monitor held (synchronized) in a frame of the stack", ReportText.pinnedBy(b, "carrier-1",
                new StackTraceElement[] {new StackTraceElement("demo.Sync", "run", "Sync.java", 4)}));
        assertEquals(null, ReportText.pinnedBy(b, null, null), "an unmounted thread pins nothing");
    }

    @Test
    void capped_cutsLongTextAndSaysSo() {
        assertEquals("short", ReportText.capped("short", 64 * 1024));
        String cut = ReportText.capped("x".repeat(100_000), 64 * 1024);
        assertEquals(64 * 1024, cut.length());
        assertTrue(cut.endsWith("\n...[cut at 64 KiB]...\n"));
    }

    @Test
    void aDeathSpiral_saysHowMuchOfTheWindowWasStopped_byWhichCollector_andHowFullTheHeapIs() {
        assertEquals("JVM Watchdog: the JVM is stalled: stopped 97.5 % of the last 4s (3.9s in 1204 pause(s))"
                + " (stall-threshold 50 %, action log)\n"
                + "\tcollections: 1198, most time in PS MarkSweep (1150 in 3.6s), PS Scavenge (48 in 150ms)\n"
                + "\theap after the last collection: 93 % full", ReportText.stall(WatchdogEventTest.spiral(), Action.LOG, 50, false));
        JvmStall unknown = new JvmStall(JvmStall.Cause.PAUSES, 4_000_000_000L, 2_100_000_000L, -1, 0, List.of(), -1, 0, 0, 0,
                61_000_000_000L);
        assertEquals("JVM Watchdog: the JVM is still stalled, for 1m 1s: stopped 52.5 % of the last 4s (2.1s)"
                + " (stall-threshold 50 %, action panic)\n"
                + "\tcollections: 0\n"
                + "\tno collection ran: the JVM held other safepoints that long, or took that long to reach them"
                + " (threads that get too little CPU reach a safepoint late)\n"
                + "\theap after the last collection: unknown\n"
                + "\thalting the JVM (action panic)", ReportText.stall(unknown, Action.PANIC, 50, true));
    }

    @Test
    void aStarvedWatchdog_saysHowLateItWas() {
        JvmStall starved = new JvmStall(JvmStall.Cause.STARVED, 4_500_000_000L, 0, 3, 0, List.of(), 0, 20_600_000_000L,
                11_200_000_000L, 3, 27_200_000_000L);
        assertEquals("JVM Watchdog: the JVM is stalled: the watchdog's own thread was late at 3 passes in a row, 20.6s in all"
                + " beyond what pauses explain (stall-threshold 50 %, action log)\n"
                + "\tthe watchdog's thread: 3 late passes, up to 11.2s at once: the JVM gets too little CPU (a cgroup quota,"
                + " a crowded host), or something outside it stops it again and again\n"
                + "\tstopped by the JVM meanwhile: 0.0 % of the last 4.5s\n"
                + "\tcollections: 0\n"
                + "\theap after the last collection: 0 % full", ReportText.stall(starved, Action.LOG, 50, false));
    }
}
