package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.request.BreakpointRequest;
import io.jvmwatchdog.it.apps.DebuggerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paused is not stuck: a thread a debugger suspended (JDWP) inside a watched task is never reported,
 * however long it stays suspended, and its time restarts when it resumes.
 *
 * <p>{@link DebuggerApp} runs with a JDWP server and the watchdog ({@code timeout=2s}); this test
 * attaches with JDI, as an IDE does. Two executor tasks spin with no progress: "target-task", which
 * the debugger stops within moments of its start — by {@code ThreadReference.suspend()}, or at a
 * breakpoint that suspends the thread that hits it — and keeps stopped for three timeouts, then
 * resumes for half a timeout more of spinning before it ends; and "free-task", which nobody stops and
 * which must be reported in the same run (the watchdog was watching). The JVM's own view of the
 * suspension shows in that report's thread dump, {@code "target-task" ... (suspended)}.
 */
class DebuggerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How long the debugger keeps the target stopped: three timeouts (the scenario, not a wait for something). */
    private static final Duration SUSPENDED_FOR = TIMEOUT.multipliedBy(3);
    /** Spinning the target does after it resumes, before it is released: half a timeout, a pass or two. */
    private static final Duration SPIN_AFTER_RESUME = TIMEOUT.dividedBy(2);
    /** The target must be stopped well before the timeout could matter, or the test proves nothing. */
    private static final Duration STOP_WITHIN = TIMEOUT.dividedBy(2);

    /** Any report of the target: its summary line, its section, its dump header's mark, its recovery. */
    private static final Pattern TARGET_REPORTED = Pattern.compile(
            "(?m)^\\t\"target-task\" #|Stuck thread \"target-task\"|\"target-task\" #\\d+[^\\n]*\\[STUCK"
                    + "|\"target-task\" #\\d+ recovered");
    /** The dump's header of the target while it is suspended (ThreadInfo.isSuspended()). */
    private static final Pattern TARGET_SUSPENDED_IN_DUMP =
            Pattern.compile("(?m)^\"target-task\" #\\d+ prio=\\d+ [^\\n]*\\(suspended\\)");

    /** What the debugger did to stop the target, and how to let it go again. */
    private record Stopped(ThreadReference thread, long atNanos, Runnable resume) {
    }

    @Test
    void threadSuspendedByADebugger_isPausedNotStuck(@TempDir Path tmp) {
        scenario(tmp, (debugger, app) -> {
            long go = System.nanoTime();
            app.sendLine("go");
            app.awaitStdout("app: target spinning", Deadlines.START);
            ThreadReference target = debugger.thread("target-task", Deadlines.START, app);
            target.suspend();
            long at = System.nanoTime();
            assertTrue(Duration.ofNanos(at - go).compareTo(STOP_WITHIN) < 0, () -> "the debugger stopped the target "
                    + TimeUnit.NANOSECONDS.toMillis(at - go) + " ms after go, too late to prove anything\n"
                    + app.describe());
            List<String> frames = Debugger.frames(target);
            assertTrue(!frames.isEmpty() && frames.get(0).startsWith(DebuggerApp.class.getName() + "."),
                    () -> "suspended in its spin loop, not on the way to it: " + frames);
            return new Stopped(target, at, target::resume);
        });
    }

    @Test
    void threadStoppedAtABreakpoint_isPausedNotStuck(@TempDir Path tmp) {
        scenario(tmp, (debugger, app) -> {
            BreakpointRequest bp = debugger.breakAt(DebuggerApp.class.getName(), "spinStep");
            app.sendLine("go");
            BreakpointEvent hit = debugger.awaitBreakpoint(Deadlines.START, app);
            long at = System.nanoTime();
            ThreadReference target = hit.thread();
            assertEquals("target-task", target.name(), "the thread at the breakpoint");
            assertEquals(List.of(DebuggerApp.class.getName() + ".spinStep"), Debugger.frames(target).subList(0, 1),
                    "stopped at the breakpoint");
            // The loop calls spinStep again and again: without this, a resume would stop it again at once.
            bp.disable();
            return new Stopped(target, at, target::resume);
        });
    }

    private interface Stopper {
        Stopped stop(Debugger debugger, JvmProcess app);
    }

    private static void scenario(Path tmp, Stopper stopper) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(DebuggerApp.class).jvmArg(Debugger.JDWP_OPTION)
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr("JVM Watchdog started: timeout 2s", Deadlines.START);
            EventsFile file = new EventsFile(events);
            Debugger debugger = Debugger.attach(app, Deadlines.START);
            try {
                Stopped stopped = stopper.stop(debugger, app);
                assertTrue(stopped.thread().isSuspended(), "the debugger holds the target suspended");

                // Meanwhile the free spinner is caught: the watchdog is watching, and its dump shows
                // the target as the JVM sees it, suspended.
                Map<String, Object> free = StuckEvents.awaitThread(file, "free-task", Deadlines.DETECT, app);
                assertEquals("no-progress", free.get("reason"), () -> "the free spinner's reason: " + free);
                app.awaitStderr(TARGET_SUSPENDED_IN_DUMP, Deadlines.DETECT);

                // Suspended for three timeouts in all: never reported.
                Duration left = SUSPENDED_FOR.minusNanos(System.nanoTime() - stopped.atNanos());
                if (!left.isNegative()) {
                    app.assertStderrStaysFreeOf(TARGET_REPORTED, left);
                }
                assertTrue(stopped.thread().isSuspended(), "still suspended after three timeouts");
                assertEquals(0, StuckEvents.eventsNaming(file, "target-task"),
                        () -> "no event names the suspended target; events:\n" + file.raw());

                // Resumed, it spins on for half a timeout (its suspended time must not count), then ends.
                stopped.resume().run();
                assertFalse(stopped.thread().isSuspended(), "resumed");
                app.assertStderrStaysFreeOf(TARGET_REPORTED, SPIN_AFTER_RESUME);
                app.sendLine("release");
                app.awaitStdout("app: target finished", Deadlines.DETECT);
            } finally {
                debugger.close();
            }

            // The free spinner's recovery is reported by a pass after the target ended: any verdict
            // on the target would be in by then.
            app.sendLine("stop");
            app.awaitStdout("app: free finished", Deadlines.DETECT);
            file.await(e -> "recovered".equals(e.get("event")) && StuckEvents.thread(e, "free-task") != null,
                    Deadlines.DETECT, app);
            app.sendLine("exit");
            assertEquals(0, app.awaitExit(Deadlines.EXIT), () -> "exit status\n" + app.describe());

            assertEquals(Set.of("free-task"), StuckEvents.stuckThreadNames(file),
                    () -> "only the free spinner was stuck; events:\n" + file.raw());
            assertFalse(TARGET_REPORTED.matcher(app.stderr()).find(),
                    () -> "the target is never reported\n" + app.describe());
        }
    }
}
