package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.GrpcApp;
import io.jvmwatchdog.it.apps.PoolTasks;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on gRPC-java 1.85 with {@code grpc-netty-shaded}. A server call runs on the server's
 * default executor, gRPC's shared cached {@code ThreadPoolExecutor}: a job of the JDK pool's row (the
 * contract's tests). With {@code directExecutor()} it runs on the shaded Netty's event loop, inside
 * the channel's I/O event: the Netty rows match Netty relocated, so a call blocked there is reported
 * as an event-loop unit of the relocated class, naming the channel.
 */
class GrpcIT extends PoolContract {

    /**
     * The shaded event loop's unit: the channel's I/O event of the epoll transport (gRPC's default on
     * Linux) or of NIO, relocated, named by the server's side of the connection.
     */
    private static final Pattern SHADED_CHANNEL_EVENT = Pattern.compile(Pattern.quote("io.grpc.netty.shaded.io.netty.channel.")
            + "(epoll\\.AbstractEpollChannel\\$AbstractEpollUnsafe|nio\\.AbstractNioChannel\\$AbstractNioUnsafe)\\.handle"
            + Pattern.quote(" (channel [id: 0x") + "[0-9a-f]{8}, L:/127\\.0\\.0\\.1:\\d+ - R:/127\\.0\\.0\\.1:\\d+]\\)");

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(GrpcApp.class).withLibraries("grpc-", "guava-", "failureaccess-", "perfmark-api-", "gson-");
    }

    @Override
    String unit() {
        return "java.util.concurrent.ThreadPoolExecutor.runWorker";
    }

    /**
     * The pool's job, named by its first frame outside the JDK: gRPC's {@code SerializingExecutor},
     * which runs a call's callbacks in order (the call's method is in the stack, not in the entry).
     */
    @Override
    String entry() {
        return unit() + " (task io.grpc.internal.SerializingExecutor.run)";
    }


    @Test
    void directExecutor_aCallBlockedInASocketReadOnTheShadedEventLoopIsReported(@TempDir Path tmp) {
        Path events = tmp.resolve("events.jsonl");
        try (JvmProcess app = pool().args("--direct-executor").agent("timeout=2s,events=" + events).tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.sendLine(PoolTasks.READ);
            app.awaitStdout("app: reading", Deadlines.START);
            EventsFile file = new EventsFile(events);
            Map<String, Object> t = StuckEvents.awaitThread(file,
                    StuckEvents.inFrame(ServerReports.frame("io.jvmwatchdog.it.apps.PoolTasks.readFromSilentPeer")),
                    "the event-loop thread reading in a call", Deadlines.DETECT, app);
            String entry = (String) t.get("entry");
            assertTrue(SHADED_CHANNEL_EVENT.matcher(entry).matches(), () -> "entry " + entry + " of " + t);
            assertEquals("uninterruptible-wait", t.get("reason"), () -> "thread " + t);
            assertEquals("socket read (sun.nio.ch.NioSocketImpl.read)", t.get("blockedOn"), () -> "thread " + t);
            String name = (String) t.get("name");
            app.awaitStderr(ServerReports.summaryLine(name, (Long) t.get("id"), entry), Deadlines.DETECT);
            assertEquals(Set.of(name), StuckEvents.stuckThreadNames(file),
                    () -> "the event loop is the only offender\n" + file.raw() + "\n" + app.describe());
        }
    }
}
