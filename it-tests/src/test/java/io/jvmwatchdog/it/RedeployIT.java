package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.RedeployApp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: no class-loader retention in a long-lived JVM. A web application redeployed 20 times in
 * Tomcat, each deployment's servlet class woven ({@code entry=}) and walked by the servlet rows'
 * per-loader type cache, leaves none of its old loaders reachable once collected. Without the agent
 * the same program shows that the check can pass (0 of 20); with the agent's type cache holding its
 * class files' locator strongly, it was 20 of 20.
 */
class RedeployIT {

    private static final Duration RUN = Duration.ofSeconds(120);

    private static JvmProcess.Builder redeploy(Path tmp) {
        return JvmProcess.app(RedeployApp.class).args("20").withLibraries("tomcat-embed-core", "tomcat-annotations-api")
                .tmpDir(tmp);
    }

    @Test
    void aWebApplicationRedeployedTwentyTimes_leavesNoOldClassLoaderReachable(@TempDir Path tmp) {
        try (JvmProcess bare = redeploy(tmp).start()) {
            bare.awaitStdout("loaders still reachable", RUN);
            bare.awaitStdout("app: 0 of 20 loaders still reachable", Deadlines.START);
        }
        // install=before-main: the log exists from the start, so each weave says so as it happens (by
        // default the log is made with the watchdog once the start settles, after this short program ends).
        try (JvmProcess app = redeploy(tmp).jvmArg("-Dwatchdog.debug=true")
                .agent("entry=com.example.itapps.webapp.RedeployedServlet#doGet,install=before-main").start()) {
            app.awaitStdout("loaders still reachable", RUN);
            // each deployment's own servlet class was woven (the debug log says so, once per class loaded)
            app.awaitStderr("JVM Watchdog: instrumented com.example.itapps.webapp.RedeployedServlet\n", 20, Deadlines.START);
            app.awaitStdout("app: 0 of 20 loaders still reachable", Deadlines.START);
        }
    }
}
