package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.SpinningApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules shipped in docs/prometheus-jmx-exporter.yaml, with the real exporter agent beside ours. */
class PrometheusRulesIT {

    @Test
    void theShippedRulesTurnTheMxBeanIntoMetrics(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path exporter = ItEnv.jarsIn("prometheus").get(0);
        Path rules = ItEnv.testClasses().resolve("../../../docs/prometheus-jmx-exporter.yaml").normalize();
        try (JvmProcess app = JvmProcess.app(SpinningApp.class)
                .jvmArg("-javaagent:" + exporter + "=127.0.0.1:" + port + ":" + rules)
                .agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
            long deadline = System.nanoTime() + Deadlines.DETECT.toNanos();
            String metrics = "";
            while (!(metrics.contains("\njvm_watchdog_stuck_threads 1.0") && metrics.contains("\njvm_watchdog_stuck_detected_total 1.0"))) {
                if (System.nanoTime() > deadline) {
                    throw app.failure("no stuck thread in the exporter's metrics within " + Deadlines.DETECT.toMillis()
                            + " ms; last scrape:\n" + metrics);
                }
                Thread.sleep(200); // polling the exporter with a deadline
                try {
                    metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException notYet) {
                    metrics = notYet.toString();
                }
            }
            for (String name : new String[] {"jvm_watchdog_passes_total", "jvm_watchdog_recovered_total",
                "jvm_watchdog_startup_timeouts_total", "jvm_watchdog_watchdog_stuck_total",
                "jvm_watchdog_dropped_report_bytes_total", "jvm_watchdog_last_pass_microseconds",
                "jvm_watchdog_agent_pause_milliseconds_total", "jvm_watchdog_agent_pause_last_minute_milliseconds",
                "jvm_watchdog_jvm_stalls_total", "jvm_watchdog_jvm_stopped_percent"}) {
                String all = metrics;
                assertTrue(metrics.contains("\n" + name + " "), () -> name + " missing:\n" + all);
            }
        }
    }
}
