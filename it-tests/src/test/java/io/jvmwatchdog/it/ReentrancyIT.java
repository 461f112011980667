package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ReentrancyApp;
import io.jvmwatchdog.it.apps.ReloadedUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, never harm the application: the agent's own I/O (stderr through its writer thread, the
 * events file, the dump files), its logging and the class loading it causes all pass through JDK
 * methods it instruments itself ({@code FileOutputStream.write}, {@code LockSupport.park}, {@code
 * ReentrantLock.lock}, {@code ThreadPoolExecutor}...). Under {@code -Dwatchdog.debug=true} it logs
 * every class it instruments, and {@link ReentrancyApp} has it instrument one more every few
 * milliseconds, on an application thread, while four application threads get stuck one after the
 * other, each only once the previous one's report (with a full dump) is out. No recursion, no
 * deadlock, no report of its own threads, and the application stays responsive.
 */
class ReentrancyIT {

    /** Agent thread names: "watchdog", "watchdog-sampler", "jvm-watchdog-stderr"... (AgentThreads). */
    private static final Pattern AGENT_THREAD = Pattern.compile("(jvm-)?watchdog(-.*)?");
    private static final String UNIT_LOGGED = "JVM Watchdog: instrumented " + ReloadedUnit.class.getName();
    private static final Pattern ANY_ERROR = Pattern.compile("[A-Za-z]+(Error|Exception)\\b");

    /** An application thread that gets stuck once {@code command} is sent (at once for none). */
    private record Offender(String command, String thread, String reason) {
    }

    private static final List<Offender> OFFENDERS = List.of(
            new Offender(null, "app-spinner", "no-progress"),
            new Offender("socket", "app-reader", "uninterruptible-wait"),
            new Offender("lock", "app-lock-waiter", "lock-wait"),
            new Offender("monitor", "app-monitor-waiter", "monitor-blocked"));

    @Test
    void agentLogsAndWritesHeavilyWhileThreadsGetStuckWithoutRecursingDeadlockingOrReportingItself(@TempDir Path tmp)
            throws IOException {
        EventsFile events = new EventsFile(tmp.resolve("events.jsonl"));
        Path dumps = Files.createDirectory(tmp.resolve("dumps"));
        try (JvmProcess app = JvmProcess.app(ReentrancyApp.class).jvmArg("-Dwatchdog.debug=true")
                .agent("timeout=2s,events=" + events.path() + ",dump-dir=" + dumps + ",entry=" + ReloadedUnit.class.getName() + "#*")
                .tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            List<Long> definedAtCommands = new ArrayList<>(); // classes the churn had defined by then
            for (Offender o : OFFENDERS) {
                if (o.command() != null) {
                    definedAtCommands.add(command(app, o.command(), o.command()));
                }
                Map<String, Object> reported = StuckEvents.awaitThread(events, o.thread(), Deadlines.DETECT, app);
                assertEquals(o.reason(), reported.get("reason"), () -> o.thread() + " judged by its rule: " + reported);
            }
            app.awaitStderr("JVM Watchdog detected " + OFFENDERS.size() + " stuck thread(s)", Deadlines.DETECT);

            // After four heavy reports the loop still goes round: the spinner, let go, is seen to recover ...
            command(app, "release", "release");
            events.await(e -> "recovered".equals(e.get("event")) && StuckEvents.thread(e, "app-spinner") != null,
                    Deadlines.DETECT, app);
            // ... the application answers, its churn went on all along ...
            definedAtCommands.add(command(app, "ping 1", "pong 1"));
            assertTrue(definedAtCommands.get(0) < definedAtCommands.get(definedAtCommands.size() - 1),
                    () -> "the class-defining task went on: " + definedAtCommands + "\n" + app.describe());
            // ... and the agent still logs what it instruments on that thread, after its last report.
            app.awaitStderr(Pattern.compile("(?s)JVM Watchdog detected " + OFFENDERS.size() + " stuck thread\\(s\\).*"
                    + Pattern.quote(UNIT_LOGGED)), Deadlines.DETECT);
            assertTrue(app.stderr().contains("DEBUG [jvm-watchdog] JVM Watchdog probes:"),
                    () -> "debug logging is on, as the scenario needs\n" + app.describe());

            assertOnlyTheApplicationsOffendersAreReported(events, app);
            assertNoAgentThreadTaggedInTheDumps(dumps, app);
            assertNoErrorOnStderr(app);
            assertTrue(app.isAlive(), () -> "still running\n" + app.describe());
        }
    }

    /** Sends {@code command}; waits for "app: {@code answer} defined N" and returns N (classes defined so far). */
    private static long command(JvmProcess app, String command, String answer) {
        app.sendLine(command);
        String said = answer.equals(command) ? "did " + command : answer;
        Matcher m = app.awaitStdout(Pattern.compile("app: " + Pattern.quote(said) + " defined (\\d+)"), Deadlines.START);
        return Long.parseLong(m.group(1));
    }

    private static void assertOnlyTheApplicationsOffendersAreReported(EventsFile events, JvmProcess app) {
        Set<Object> expected = new LinkedHashSet<>();
        OFFENDERS.forEach(o -> expected.add(o.thread()));
        Set<Object> reported = StuckEvents.stuckThreadNames(events);
        reported.forEach(name -> assertFalse(AGENT_THREAD.matcher(String.valueOf(name)).matches(),
                () -> "the agent reported its own thread " + name + ":\n" + events.raw() + app.describe()));
        assertEquals(expected, reported, () -> "the offenders, and none of the holders, the churn or main\n" + events.raw());
        for (Object name : expected) {
            assertEquals(1, StuckEvents.eventsNaming(events, (String) name), () -> name + " in one stuck event\n" + events.raw());
        }
    }

    /** Every thread tagged {@code [STUCK:} in every dump file is an offender; the agent's threads are listed untagged. */
    private static void assertNoAgentThreadTaggedInTheDumps(Path dumps, JvmProcess app) throws IOException {
        List<String> headers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dumps)) {
            files.forEach(f -> TestFiles.readOrEmpty(f).lines().filter(l -> l.startsWith("\"")).forEach(headers::add));
        }
        List<String> offenders = OFFENDERS.stream().map(Offender::thread).toList();
        boolean agentThreadListed = false;
        for (String header : headers) {
            String name = header.substring(1, header.indexOf('"', 1));
            boolean agents = AGENT_THREAD.matcher(name).matches();
            agentThreadListed |= agents;
            if (header.contains("[STUCK:")) {
                assertFalse(agents, () -> "an agent thread tagged in a dump: " + header);
                assertTrue(offenders.contains(name), () -> "a thread tagged that is no offender: " + header);
            }
        }
        // a full dump lists every thread: proof the check above looked at the agent's threads
        assertTrue(agentThreadListed, () -> "no agent thread in the dumps at all:\n" + String.join("\n", headers));
    }

    /**
     * Recursion ends in a StackOverflowError, a class loaded in the middle of its own transformation in
     * a LinkageError (ClassCircularityError...), a failed weave in "could not instrument": none of it,
     * nor any other error or exception.
     */
    private static void assertNoErrorOnStderr(JvmProcess app) {
        for (String line : app.stderr().split("\\R")) {
            assertFalse(ANY_ERROR.matcher(line).find() || line.contains("could not") || line.contains("internal error")
                    || line.contains("the watchdog is stuck"), () -> "on stderr: '" + line + "'\n" + app.describe());
        }
        assertFalse(app.stdout().contains("churn failed"), () -> "the churn failed\n" + app.describe());
    }
}
