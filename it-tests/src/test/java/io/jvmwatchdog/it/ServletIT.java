package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.BareServletApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any servlet is a watched request, in a container the agent does not know: a request in
 * {@code Servlet#service} that waits on anything past the timeout is stuck, and the report names it
 * by method and path, never by its query string.
 */
class ServletIT {

    @ParameterizedTest
    @ValueSource(strings = {"jakarta", "javax"})
    void aServletWaitingPastTheTimeoutIsStuck_namedByMethodAndPathOnly(String api, @TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = JvmProcess.app(BareServletApp.class).args(api).withLibraries("jakarta.servlet-api", "javax.servlet-api")
                .agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitInstrumentation(); // a request under way before is adopted, but unnamed (InstallModeIT)
            app.sendLine("go");

            Map<String, Object> t = StuckEvents.awaitThread(new EventsFile(events), "bare-container", Deadlines.DETECT, app);
            assertEquals("budget-exceeded", t.get("reason"), () -> "event thread " + t);
            assertEquals("request GET /bare/hang", t.get("detail"), () -> "event thread " + t);
            assertEquals(api + ".servlet.http.HttpServlet.service (request GET /bare/hang)", t.get("entry"),
                    () -> "the servlet class that declares service(ServletRequest, ServletResponse) is the unit: " + t);
            assertTrue(EventsFile.stack(t).stream().anyMatch(f -> f.startsWith("java.util.concurrent.CompletableFuture.get(")),
                    () -> "the stack is in the wait: " + t);
            assertFalse(app.stderr().contains("s3cr3t"), () -> "the query string is never reported\n" + app.describe());
            assertFalse(TestFiles.readOrEmpty(events).contains("s3cr3t"), () -> "the query string is never reported: " + t);
        }
    }
}
