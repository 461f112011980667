package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.ServerReports.Hang;
import io.jvmwatchdog.it.apps.Routes;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "out of the box on real servers": with default options (no {@code entry=}) a request that
 * hangs in a server is reported, naming the request, and a busy then idle server is never reported.
 * One subclass per server supplies the program and what its unit is called; the tests are the same
 * for all (see {@link ServerReports} for the exact texts).
 *
 * <p>Each server program ({@code io.jvmwatchdog.it.apps}) serves {@link Routes}. The agent gets
 * {@code timeout=2s} and an events file, nothing else.
 */
abstract class ServerContract {

    /** Put in the query string of every hanging request: it must appear in no report. */
    private static final String SECRET = "s3cr3t";
    /**
     * A session id in a path parameter, where servlet containers put it when cookies are off
     * ({@code /hang/read;jsessionid=...}): it must appear in no report either.
     */
    private static final String SESSION = "5E55105EC4E7";
    /** 3x the timeout: long enough for any false alarm to be raised. */
    private static final Duration SILENT_FOR = Duration.ofSeconds(6);
    private static final Duration LOAD_FOR = Duration.ofSeconds(3);
    private static final int LOAD_CLIENTS = 4;
    /** At least this many answers, however long the load takes (bounded by LOAD_DEADLINE). */
    private static final long LOAD_ANSWERS = 200;
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(30);
    private static final int IDLE_CONNECTIONS = 4;
    private static final Pattern ANY_MENTION_OF_STUCK = Pattern.compile("(?i)stuck");

    /** The server program, with its libraries on the class path; the tests add the agent. */
    abstract JvmProcess.Builder server();

    /** {@code Class.method} of the unit a request runs in: the {@code entry} of its thread. */
    abstract String unit();

    /** The {@code detail} expected for a thread serving {@code exchange}. */
    abstract Pattern detail(Exchange exchange);

    /**
     * Whether the server serves requests on virtual threads (Helidon 4): such a thread is reported
     * as virtual, and parked in a socket read too (a blocked virtual thread leaves its carrier).
     */
    boolean virtualThreads() {
        return false;
    }

    @Test
    void requestBlockedInASocketReadIsReportedNamingTheRequest(@TempDir Path tmp) throws IOException {
        hangIsReportedNamingTheRequest(Hang.READ, tmp);
    }

    @Test
    void requestWaitingForAFutureIsReportedNamingTheRequest(@TempDir Path tmp) throws IOException {
        hangIsReportedNamingTheRequest(Hang.FUTURE, tmp);
    }

    /**
     * Four clients keep the server busy for a while, then four keep-alive connections stay open and
     * idle for 3x the timeout: acceptors, selectors, event loops, idle workers and idle connections
     * are all healthy, so nothing at all is reported.
     */
    @Test
    void busyThenIdleWithKeepAliveConnectionsIsNeverReported(@TempDir Path tmp) throws IOException {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            int port = awaitPort(app);
            long answers = LoopbackHttp.load(port, Routes.OK, LOAD_CLIENTS, LOAD_FOR, LOAD_ANSWERS, LOAD_DEADLINE);
            assertTrue(answers >= LOAD_ANSWERS, () -> "busy for real: only " + answers + " answers\n" + app.describe());

            try (LoopbackHttp.Connections idle = LoopbackHttp.Connections.openServed(port, IDLE_CONNECTIONS, Routes.OK)) {
                app.assertStderrStaysFreeOf(ANY_MENTION_OF_STUCK, SILENT_FOR); // the scenario's idle time
                idle.getOkOnEach(Routes.OK, "after " + SILENT_FOR.toSeconds() + " s idle, kept alive");
            }

            String err = app.stderr();
            assertTrue(err.contains("JVM Watchdog started: timeout 2s, period 500ms, action log"),
                    () -> "the watchdog was on\n" + app.describe());
            assertFalse(err.toLowerCase(Locale.ROOT).contains("stuck"), () -> "a false alarm\n" + app.describe());
            assertFalse(err.contains("WARN  [jvm-watchdog]"), () -> "nothing to warn about\n" + app.describe());
            assertFalse(err.contains("Full thread dump"), () -> "no dump\n" + app.describe());
            EventsFile file = new EventsFile(events);
            assertEquals(List.of(), file.events(), () -> "no events, got:\n" + file.raw());
        }
    }

    private void hangIsReportedNamingTheRequest(Hang hang, Path tmp) throws IOException {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            int port = awaitPort(app);
            // Nobody reads the answer that never comes; the socket stays open until the test ends.
            try (Socket client = LoopbackHttp.sendAndLeave(port, hang.path + ";jsessionid=" + SESSION + "?secret=" + SECRET)) {
                app.awaitStdout("app: hanging in " + hang.path, Deadlines.START);
                Exchange exchange = new Exchange(port, client.getLocalPort(), hang.path);

                EventsFile file = new EventsFile(events);
                Map<String, Object> t = StuckEvents.awaitThread(file, StuckEvents.inFrame(ServerReports.frame(hang.appMethod)),
                        "the thread serving " + hang.path, Deadlines.DETECT, app);
                String name = (String) t.get("name");
                long id = (Long) t.get("id");

                Object detail = t.get("detail");
                assertTrue(detail instanceof String && detail(exchange).matcher((String) detail).matches(),
                        () -> "detail: expected /" + detail(exchange).pattern() + "/, got " + detail + "\nthread " + t);
                String entry = ServerReports.entry(unit(), (String) detail);
                assertEquals(entry, t.get("entry"), () -> "thread " + t);
                assertEquals(hang.reason, t.get("reason"), () -> "thread " + t);
                assertEquals(hang.blockedOn, t.get("blockedOn"), () -> "thread " + t);
                assertEquals(virtualThreads() ? hang.virtualState : hang.state, t.get("state"), () -> "thread " + t);
                if (virtualThreads()) {
                    assertEquals(Boolean.TRUE, t.get("virtual"), () -> "thread " + t);
                }
                assertEquals(hang.interruptible, t.get("interruptible"), () -> "thread " + t);
                assertTrue((Long) t.get("stuckMillis") >= 2000, () -> "reported before the timeout: " + t);
                List<String> stack = EventsFile.stack(t);
                for (String method : List.of(hang.jdkMethod, unit())) {
                    assertTrue(stack.stream().anyMatch(f -> f.startsWith(ServerReports.frame(method))),
                            () -> "a frame of " + method + " in the stack: " + t);
                }

                // The same on stderr: the summary line, then the thread's own section.
                app.awaitStderr(ServerReports.summaryLine(name, id, entry), Deadlines.DETECT);
                app.awaitStderr("Stuck thread \"" + name + "\" #" + id + (virtualThreads() ? " (virtual)" : "") + ":",
                        Deadlines.DETECT);

                Set<Object> offenders = StuckEvents.stuckThreadNames(file);
                assertEquals(Set.of(name), offenders,
                        () -> "the request's thread is the only offender\n" + file.raw() + "\n" + app.describe());
                assertFalse(app.stderr().contains(SECRET), () -> "the query string leaked to stderr\n" + app.describe());
                assertFalse(file.raw().contains(SECRET), () -> "the query string leaked to the events file\n" + file.raw());
                assertFalse(app.stderr().contains(SESSION), () -> "the session id leaked to stderr\n" + app.describe());
                assertFalse(file.raw().contains(SESSION), () -> "the session id leaked to the events file\n" + file.raw());
            }
        }
    }

    JvmProcess start(Path events, Path tmp) {
        return server().agent("timeout=2s,events=" + events).tmpDir(tmp).start();
    }

    /** Waits for the program's "app: port N" and "app: ready"; returns N. */
    static int awaitPort(JvmProcess app) {
        int port = Integer.parseInt(app.awaitStdout(Pattern.compile("app: port (\\d+)"), Deadlines.SERVER_START).group(1));
        app.awaitStdout("app: ready", Deadlines.SERVER_START);
        app.awaitInstrumentation();
        return port;
    }
}
