package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.base.Json;
import io.jvmwatchdog.core.model.ChainLink;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JSON-lines events file: one object per event, appended and flushed as it happens, so a
 * pipeline tailing the file sees an event even if the JVM is halted right after. The schema is a
 * public contract (README, "Events file").
 */
public final class EventLog implements Closeable {

    /**
     * One thread of an event. {@code stack} and {@code chain} are empty where the event has none;
     * {@code reason}, {@code blockedOn} and {@code lockOwnerName} may be null.
     *
     * @param carrier for a virtual thread, the carrier it is mounted on, or null (not mounted)
     * @param pinnedBy for a virtual thread pinned to its carrier, the frame that pins it, or null
     * @param lockOwnerId the thread holding what it waits on, or -1
     * @param waiters how many threads wait on locks this one holds
     */
    public record EventThread(String name, long id, String state, long stuckMillis, String entry, String detail,
                              List<String> stack, boolean virtual, String carrier, String pinnedBy,
                              String reason, String blockedOn,
                              String lockOwnerName, long lockOwnerId, List<ChainLink> chain,
                              boolean interruptible, int waiters) {
    }

    private final Path path;
    private final OutputStream out;

    private EventLog(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Opens for append, creating the file owner-only (0600) if it is missing: events name threads,
     * requests and stacks, as dump files do. An existing file keeps the permissions its owner gave it.
     * Fails here, at configuration time, not at the first event.
     */
    public static EventLog open(Path path) throws IOException {
        try {
            Files.createFile(path, DumpFiles.ownerOnly());
        } catch (FileAlreadyExistsException exists) {
            // appended to, as it is
        }
        // FileOutputStream, not Files.newOutputStream: an interruptible channel would be closed for good
        // by an interrupt of the writing thread.
        return new EventLog(path, new FileOutputStream(path.toFile(), true));
    }

    public Path path() {
        return path;
    }

    /** @param cycle for a deadlock, the cycle (the event then carries {@code "deadlock":true}); else null */
    public synchronized void write(Instant time, String event, String action, List<EventThread> threads,
                                   List<ChainLink> cycle) throws IOException {
        out.write(line(time, event, action, threads, cycle).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String line(Instant time, String event, String action, List<EventThread> threads, List<ChainLink> cycle) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"time\":");
        Json.string(sb, time.toString());
        sb.append(",\"event\":");
        Json.string(sb, event);
        sb.append(",\"action\":");
        Json.string(sb, action);
        if (cycle != null) {
            sb.append(",\"deadlock\":true,\"cycle\":");
            links(sb, cycle);
        }
        sb.append(",\"threads\":[");
        for (int i = 0; i < threads.size(); i++) {
            EventThread t = threads.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.string(sb, t.name());
            sb.append(",\"id\":").append(t.id());
            sb.append(",\"state\":");
            Json.string(sb, t.state());
            sb.append(",\"stuckMillis\":").append(t.stuckMillis());
            sb.append(",\"entry\":");
            Json.string(sb, t.entry());
            sb.append(",\"detail\":");
            Json.string(sb, t.detail());
            sb.append(",\"stack\":[");
            for (int f = 0; f < t.stack().size(); f++) {
                if (f > 0) {
                    sb.append(',');
                }
                Json.string(sb, t.stack().get(f));
            }
            sb.append("],\"virtual\":").append(t.virtual());
            if (t.virtual()) {
                sb.append(",\"carrier\":");
                Json.string(sb, t.carrier());
                sb.append(",\"pinnedBy\":");
                Json.string(sb, t.pinnedBy());
            }
            sb.append(",\"reason\":");
            Json.string(sb, t.reason());
            sb.append(",\"blockedOn\":");
            Json.string(sb, t.blockedOn());
            sb.append(",\"lockOwner\":");
            if (t.lockOwnerId() < 0) {
                sb.append("null");
            } else {
                sb.append("{\"name\":");
                Json.string(sb, t.lockOwnerName());
                sb.append(",\"id\":").append(t.lockOwnerId()).append('}');
            }
            sb.append(",\"chain\":");
            links(sb, t.chain());
            sb.append(",\"interruptible\":").append(t.interruptible());
            sb.append(",\"waiters\":").append(t.waiters()).append('}');
        }
        return sb.append("]}\n").toString();
    }

    private static void links(StringBuilder sb, List<ChainLink> links) {
        sb.append('[');
        for (int i = 0; i < links.size(); i++) {
            ChainLink l = links.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.string(sb, l.threadName());
            sb.append(",\"id\":").append(l.threadId()).append(",\"state\":");
            Json.string(sb, l.state() == null ? null : l.state().name());
            sb.append(",\"waitsOn\":");
            Json.string(sb, l.waitsOn());
            sb.append(",\"forMillis\":").append(l.forNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(l.forNanos())).append('}');
        }
        sb.append(']');
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
