package io.jvmwatchdog.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The agent's JSON-lines events file, read and parsed (every complete line must be valid JSON). */
public final class EventsFile {

    private final Path path;

    public EventsFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public String raw() {
        return TestFiles.readOrEmpty(path);
    }

    /** The complete lines so far, each parsed; a line still being written (no newline yet) is left out. */
    public List<Map<String, Object>> events() {
        String text = raw();
        int end = text.lastIndexOf('\n');
        List<Map<String, Object>> list = new ArrayList<>();
        if (end < 0) {
            return list;
        }
        for (String line : text.substring(0, end).split("\n")) {
            if (line.isBlank()) {
                throw new AssertionError("blank line in events file " + path + ":\n" + text);
            }
            try {
                list.add(MiniJson.parseObject(line));
            } catch (IllegalArgumentException e) {
                throw new AssertionError("invalid JSON line in events file " + path + ": " + e.getMessage());
            }
        }
        return list;
    }

    public List<Map<String, Object>> events(String type) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Object> e : events()) {
            if (type.equals(e.get("event"))) {
                list.add(e);
            }
        }
        return list;
    }

    /**
     * Waits for an event matching {@code filter}. The file is written by another process, so this one
     * place polls (every 50 ms) until the deadline; {@code child} supplies the output for the failure.
     */
    public Map<String, Object> await(Predicate<Map<String, Object>> filter, Duration timeout, JvmProcess child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map<String, Object> e : events()) {
                if (filter.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw child.failure("no matching event in " + path + " within " + timeout.toMillis()
                        + " ms; the file holds:\n" + raw());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> threads(Map<String, Object> event) {
        Object t = event.get("threads");
        if (!(t instanceof List)) {
            throw new AssertionError("event without a threads array: " + event);
        }
        return (List<Map<String, Object>>) t;
    }

    @SuppressWarnings("unchecked")
    public static List<String> stack(Map<String, Object> thread) {
        Object s = thread.get("stack");
        if (!(s instanceof List)) {
            throw new AssertionError("thread without a stack array: " + thread);
        }
        return (List<String>) s;
    }
}
