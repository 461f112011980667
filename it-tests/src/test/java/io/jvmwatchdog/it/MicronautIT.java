package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.MicronautApp;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on Micronaut 4's HTTP server (Netty, NIO): a controller runs by default on the event loop,
 * inside the channel I/O event that read the request ({@code AbstractNioUnsafe.handle}, the report
 * names the channel); one marked {@code @ExecuteOn(TaskExecutors.BLOCKING)} runs as a task of the
 * blocking executor, a JDK cached {@code ThreadPoolExecutor} on Java 17 and a JDK thread-per-task
 * executor of virtual threads on 21+. No row of Micronaut's own: Netty's and the JDK's cover it.
 */
class MicronautIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(MicronautApp.class)
                .withLibraries("micronaut-", "netty-", "jakarta.inject", "jakarta.annotation", "reactor-core",
                        "reactive-streams", "jackson-", "slf4j-api");
    }

    @Override
    String unit() {
        return ServerReports.NETTY_CHANNEL_EVENT;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.nettyChannelDetail(exchange);
    }

    /**
     * A controller on the blocking executor that spins is a task of that executor: a pool job on
     * Java 17, a thread-per-task task on a virtual thread on 21+, named by the task Micronaut wraps
     * the request in; reported, and nothing else.
     */
    @Test
    void blockingControllerSpinningIsReportedAsATaskOfTheBlockingExecutor(@TempDir Path tmp) throws IOException {
        boolean virtual = ItEnv.javaFeature() >= 21;
        String unit = virtual ? "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run"
                : "java.util.concurrent.ThreadPoolExecutor.runWorker";
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            int port = awaitPort(app);
            try (Socket client = LoopbackHttp.sendAndLeave(port, MicronautApp.SPIN_BLOCKING)) {
                EventsFile file = new EventsFile(events);
                Map<String, Object> t = StuckEvents.awaitThread(file,
                        StuckEvents.inFrame(ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.spinForever")),
                        "the thread spinning", Deadlines.DETECT, app);
                assertTrue(String.valueOf(t.get("entry")).startsWith(unit + " (task io.micronaut."), () -> "thread " + t);
                assertNull(t.get("detail"), () -> "a task has no detail: " + t);
                assertEquals("no-progress", t.get("reason"), () -> "thread " + t);
                assertEquals(virtual, t.get("virtual"), () -> "thread " + t);
                assertEquals(Set.of(t.get("name")), StuckEvents.stuckThreadNames(file),
                        () -> "the spinning thread is the only offender\n" + file.raw() + "\n" + app.describe());
            }
        }
    }
}
