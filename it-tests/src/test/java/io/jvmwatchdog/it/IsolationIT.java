package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.IsolatedApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, never harm the application: an application with its own, older logging stack (SLF4J 1.7,
 * logback 1.2, its own logback.xml) and its own Byte Buddy (1.14) behaves the same with the agent
 * attached as without it. The agent shades SLF4J 2, logback 1.5 and Byte Buddy 1.18's ASM and configures
 * its logback in code: it must not read the application's configuration, and the application must not
 * pick up the agent's logging, classes or settings. The application runs on {@code
 * target/isolation-libs} (see it-tests/pom.xml) and test-classes only.
 */
class IsolationIT {

    private static final String LIBS = "isolation-libs";
    private static final String SPIN_FRAME = "io.jvmwatchdog.it.apps.SpinningApp.spinForever";
    private static final String AFTER_REPORT = "isolated app: still logging after the report";

    /** A line of the agent's log: its own timestamp, level and tag (AgentLogging's pattern). */
    private static final Pattern AGENT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (DEBUG|INFO |WARN |ERROR) \\[jvm-watchdog] .*");
    private static final Pattern AGENT_REPORT = Pattern.compile(
            "(?m)^\\S+ WARN  \\[jvm-watchdog] JVM Watchdog detected 1 stuck thread\\(s\\)");

    @Test
    void appKeepsItsOwnLoggingAndByteBuddyWithTheAgentAttached(@TempDir Path tmp) throws IOException {
        AppConfig without = AppConfig.logToFile(Files.createDirectory(tmp.resolve("without")));
        List<String> stdoutWithout;
        try (JvmProcess app = without.app().tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            logAndAwait(app, AFTER_REPORT);
            stdoutWithout = Lines.meaningful(app.stdout());
            assertEquals(List.of(), Lines.meaningful(app.stderr()), () -> "nothing on stderr without the agent\n" + app.describe());
        }
        List<String> expectedLog = List.of("APP|DEBUG|" + IsolatedApp.DEBUG_MESSAGE, "APP|INFO|" + IsolatedApp.INFO_MESSAGE,
                "APP|WARN|" + IsolatedApp.WARN_MESSAGE, "APP|INFO|" + AFTER_REPORT);
        assertEquals(expectedLog, without.logLines(), "without the agent, the app logs to its file in its pattern");

        AppConfig with = AppConfig.logToFile(Files.createDirectory(tmp.resolve("with")));
        EventsFile events = new EventsFile(tmp.resolve("events.jsonl"));
        try (JvmProcess app = with.app().args("--stuck").agent("timeout=2s,events=" + events.path()).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            StuckEvents.awaitThread(events, StuckEvents.inFrame(SPIN_FRAME), "the app's spinning task", Deadlines.DETECT, app);
            app.awaitStderr(AGENT_REPORT, Deadlines.DETECT);
            logAndAwait(app, AFTER_REPORT);

            // (a) the app's log file: its lines, in its pattern, as without the agent, none of the agent's
            assertEquals(expectedLog, with.logLines(), () -> "the app's log file is unchanged by the agent\n" + app.describe());
            // (c) its own logback 1.2 behind SLF4J 1.7, its own Byte Buddy at work: the same as without the agent
            assertTrue(app.stdout().contains("app: logger factory ch.qos.logback.classic.LoggerContext from "
                    + jarIn("logback-classic-")), () -> "the app's logback serves its SLF4J\n" + app.describe());
            assertTrue(app.stdout().contains("app: slf4j from " + jarIn("slf4j-api-")), () -> "its SLF4J\n" + app.describe());
            assertTrue(app.stdout().contains("app: byte buddy from " + jarIn("byte-buddy-")
                    + " made io.jvmwatchdog.it.apps.IsolatedAppGenerated: made by the app's Byte Buddy"),
                    () -> "the app's Byte Buddy generated its class\n" + app.describe());
            assertTrue(app.stdout().contains("app: properties []"),
                    () -> "the agent sets no property in the namespaces of the app's libraries\n" + app.describe());
            assertEquals(stdoutWithout, Lines.meaningful(app.stdout()), () -> "the app says the same as without the agent\n"
                    + app.describe());
            // (b) the agent's report on stderr in the agent's pattern, nothing of the app's there
            assertAgentLinesInAgentPattern(app.stderr(), app);
            assertNoAppLogLines(app.stderr(), "stderr", app);
            // (d) no complaint from SLF4J or logback about what the agent brought
            assertNoLoggingLibraryComplaints(app);
        }
    }

    /**
     * The application points logback at a configuration of its own ({@code -Dlogback.configurationFile})
     * with an appender on stderr in its own pattern: both logs share stderr, each in its own pattern.
     */
    @Test
    void appLoggingToStderrWithItsOwnConfigurationFileLeavesTheAgentsLinesAlone(@TempDir Path tmp) throws IOException {
        AppConfig config = AppConfig.logToStderr(tmp);
        EventsFile events = new EventsFile(tmp.resolve("events.jsonl"));
        try (JvmProcess app = config.app().args("--stuck").agent("timeout=2s,events=" + events.path()).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            StuckEvents.awaitThread(events, StuckEvents.inFrame(SPIN_FRAME), "the app's spinning task", Deadlines.DETECT, app);
            app.awaitStderr(AGENT_REPORT, Deadlines.DETECT);

            List<String> appLines = new ArrayList<>();
            for (String line : app.stderr().split("\\R")) {
                if (line.startsWith("APPERR|")) {
                    appLines.add(line);
                }
            }
            // logged before the task was even submitted, so before any report: whole lines
            assertEquals(List.of("APPERR|DEBUG|" + IsolatedApp.DEBUG_MESSAGE, "APPERR|INFO|" + IsolatedApp.INFO_MESSAGE,
                    "APPERR|WARN|" + IsolatedApp.WARN_MESSAGE), appLines,
                    () -> "the app's lines, in the app's pattern, and only the app's\n" + app.describe());
            assertAgentLinesInAgentPattern(app.stderr(), app);
            assertNoLoggingLibraryComplaints(app);
        }
    }

    /**
     * The app's logback configuration, written by the test: a file appender (found as {@code
     * logback.xml} on the class path, the usual way) or a stderr appender (named by {@code
     * -Dlogback.configurationFile}). Patterns no agent line can match.
     */
    private record AppConfig(Path dir, Path logFile, String jvmArg) {

        static AppConfig logToFile(Path dir) throws IOException {
            Path conf = Files.createDirectory(dir.resolve("conf"));
            Path log = dir.resolve("app.log");
            write(conf.resolve("logback.xml"), "<appender name='FILE' class='ch.qos.logback.core.FileAppender'>"
                    + "<file>" + log + "</file><encoder><pattern>APP|%level|%msg%n</pattern></encoder></appender>"
                    + "<root level='DEBUG'><appender-ref ref='FILE'/></root>");
            return new AppConfig(conf, log, null);
        }

        static AppConfig logToStderr(Path dir) throws IOException {
            Path file = dir.resolve("app-logback.xml");
            write(file, "<appender name='ERR' class='ch.qos.logback.core.ConsoleAppender'><target>System.err</target>"
                    + "<encoder><pattern>APPERR|%level|%msg%n</pattern></encoder></appender>"
                    + "<root level='DEBUG'><appender-ref ref='ERR'/></root>");
            return new AppConfig(null, null, "-Dlogback.configurationFile=" + file);
        }

        private static void write(Path file, String body) throws IOException {
            Files.writeString(file, "<configuration>" + body + "</configuration>\n");
        }

        /** The app on the isolation libraries and test-classes, nothing of the test class path. */
        JvmProcess.Builder app() {
            JvmProcess.Builder b = JvmProcess.app(IsolatedApp.class).withJarsIn(LIBS);
            if (dir != null) {
                b.withClasspathEntry(dir);
            }
            if (jvmArg != null) {
                b.jvmArg(jvmArg);
            }
            return b;
        }

        List<String> logLines() {
            return Lines.meaningful(TestFiles.readOrEmpty(logFile));
        }
    }

    private static void logAndAwait(JvmProcess app, String text) {
        app.sendLine("log " + text);
        app.awaitStdout("app: logged " + text, Deadlines.START);
    }

    /** The file name of the isolation library starting with {@code prefix}. */
    private static String jarIn(String prefix) {
        return ItEnv.jarsIn(LIBS).stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "* in target/" + LIBS));
    }

    /** The agent's start line and report in its pattern, and every line tagged as the agent's in it too. */
    private static void assertAgentLinesInAgentPattern(String stderr, JvmProcess app) {
        assertTrue(AGENT_REPORT.matcher(stderr).find(), () -> "the report, in the agent's pattern\n" + app.describe());
        assertTrue(Pattern.compile("(?m)^\\S+ INFO  \\[jvm-watchdog] JVM Watchdog started: timeout 2s").matcher(stderr).find(),
                () -> "the start line, in the agent's pattern\n" + app.describe());
        for (String line : stderr.split("\\R")) {
            if (line.contains("[jvm-watchdog]")) {
                assertTrue(AGENT_LINE.matcher(line).matches(), () -> "an agent line out of the agent's pattern: '" + line
                        + "'\n" + app.describe());
            }
            assertFalse(line.startsWith("APP") && line.contains("JVM Watchdog"),
                    () -> "an agent message in the app's pattern: '" + line + "'\n" + app.describe());
        }
    }

    private static void assertNoAppLogLines(String text, String where, JvmProcess app) {
        for (String message : List.of(IsolatedApp.DEBUG_MESSAGE, IsolatedApp.INFO_MESSAGE, IsolatedApp.WARN_MESSAGE, AFTER_REPORT)) {
            assertFalse(text.contains(message), () -> "the app's message '" + message + "' on " + where + "\n" + app.describe());
        }
    }

    /**
     * SLF4J 1.7 says "SLF4J: ..." on stderr when it finds several bindings or none; logback 1.2 prints
     * its status ("|-WARN", "|-ERROR") when its configuration is ambiguous (a second logback.xml) or bad.
     */
    private static void assertNoLoggingLibraryComplaints(JvmProcess app) {
        for (String out : List.of(app.stdout(), app.stderr())) {
            for (String complaint : List.of("SLF4J:", "|-WARN", "|-ERROR", "StaticLoggerBinder")) {
                assertFalse(out.contains(complaint), () -> "'" + complaint + "' from a logging library\n" + app.describe());
            }
        }
    }
}
