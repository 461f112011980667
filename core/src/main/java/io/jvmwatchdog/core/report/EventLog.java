package io.jvmwatchdog.core.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The JSON-lines events file: one object per event, appended and flushed as it happens, so a
 * pipeline tailing the file sees an event even if the JVM is halted right after. The schema is a
 * public contract (README, "Events file").
 */
public final class EventLog implements Closeable {

    /** One thread of an event. {@code stack} is empty where the event has no stack to give. */
    public record EventThread(String name, long id, String state, long stuckMillis, String entry,
                              List<String> stack, boolean virtual) {
    }

    private final Path path;
    private final OutputStream out;

    private EventLog(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** Opens (creating if needed) for append. Fails here, at configuration time, not at the first event. */
    public static EventLog open(Path path) throws IOException {
        // FileOutputStream, not Files.newOutputStream: an interruptible channel would be closed for good
        // by an interrupt of the writing thread.
        return new EventLog(path, new FileOutputStream(path.toFile(), true));
    }

    public Path path() {
        return path;
    }

    public synchronized void write(Instant time, String event, String action, List<EventThread> threads)
            throws IOException {
        out.write(line(time, event, action, threads).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String line(Instant time, String event, String action, List<EventThread> threads) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"time\":");
        Json.string(sb, time.toString());
        sb.append(",\"event\":");
        Json.string(sb, event);
        sb.append(",\"action\":");
        Json.string(sb, action);
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
            sb.append(",\"stack\":[");
            for (int f = 0; f < t.stack().size(); f++) {
                if (f > 0) {
                    sb.append(',');
                }
                Json.string(sb, t.stack().get(f));
            }
            sb.append("],\"virtual\":").append(t.virtual()).append('}');
        }
        return sb.append("]}\n").toString();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
