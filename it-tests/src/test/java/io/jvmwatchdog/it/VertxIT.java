package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.VertxApp;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on Vert.x 5 (core, NIO): its event loops are Netty's, so a request handler runs inside the
 * channel I/O event that read the request ({@code AbstractNioUnsafe.handle}, the report names the
 * channel), and a timer inside an event-loop task; {@code executeBlocking} runs on its worker pool, a
 * JDK {@code ThreadPoolExecutor}. Idle event loops wait in their selector and idle workers for their
 * next job, outside any unit. No row of Vert.x's own: Netty's and the JDK's cover it.
 */
class VertxIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(VertxApp.class).withLibraries("vertx-", "netty-", "jackson-core");
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
     * A task spinning in {@code executeBlocking} is a worker-pool job (the pool runs Vert.x's ordered
     * task queue, which names it), and a timer spinning on the event loop a budgeted event-loop task:
     * both reported, and nothing else, in the same program.
     */
    @Test
    void executeBlockingTaskAndTimerSpinningAreReported(@TempDir Path tmp) throws IOException {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = start(events, tmp)) {
            int port = awaitPort(app);
            try (Socket blocking = LoopbackHttp.sendAndLeave(port, VertxApp.SPIN_BLOCKING);
                 Socket timer = LoopbackHttp.sendAndLeave(port, VertxApp.SPIN_TIMER)) {
                EventsFile file = new EventsFile(events);
                Map<String, Object> worker = awaitSpinning(file, "vert.x-worker-thread-", app);
                assertEquals(WORKER_JOB + " (task io.vertx.core.impl.TaskQueue.run)", worker.get("entry"), () -> "worker " + worker);
                assertNull(worker.get("detail"), () -> "a pool job has no detail: " + worker);
                assertEquals("no-progress", worker.get("reason"), () -> "worker " + worker);

                Map<String, Object> loop = awaitSpinning(file, "vert.x-eventloop-thread-", app);
                assertEquals(TIMER_TASK, loop.get("detail"), () -> "event loop " + loop);
                assertEquals(ServerReports.entry(NETTY_TASK, TIMER_TASK), loop.get("entry"), () -> "event loop " + loop);
                assertEquals("no-progress", loop.get("reason"), () -> "event loop " + loop);

                assertEquals(Set.of(worker.get("name"), loop.get("name")), StuckEvents.stuckThreadNames(file),
                        () -> "the spinning threads are the only offenders\n" + file.raw() + "\n" + app.describe());
            }
        }
    }

    private static final String WORKER_JOB = "java.util.concurrent.ThreadPoolExecutor.runWorker";
    private static final String NETTY_TASK = "io.netty.util.concurrent.AbstractEventExecutor.safeExecute";
    /** A Vert.x timer is a Netty scheduled task of its event loop. */
    private static final String TIMER_TASK = "task io.netty.util.concurrent.ScheduledFutureTask";
    private static final String SPIN_FRAME = ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.spinForever");

    private static Map<String, Object> awaitSpinning(EventsFile file, String threadNamePrefix, JvmProcess app) {
        return StuckEvents.awaitThread(file,
                t -> String.valueOf(t.get("name")).startsWith(threadNamePrefix) && StuckEvents.inFrame(SPIN_FRAME).test(t),
                "a thread " + threadNamePrefix + "* spinning", Deadlines.DETECT, app);
    }
}
