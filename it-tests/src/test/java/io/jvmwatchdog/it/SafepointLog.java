package io.jvmwatchdog.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child's safepoint log, written by {@code -Xlog:safepoint=info:file=<path>} (see {@link #jvmArg()}).
 * HotSpot writes one line per safepoint, on Java 17 and 25 alike:
 * <pre>
 * [4.015s][info][safepoint] Safepoint "ThreadDump", Time since last: 1701607753 ns, Reaching safepoint: ...
 * </pre>
 * The VM operations the watchdog may cause are {@code ThreadDump} ({@code dumpAllThreads}, and
 * {@code getThreadInfo} with stacks) and {@code FindDeadlocks} ({@code findDeadlockedThreads}).
 */
public final class SafepointLog {

    private static final Pattern OPERATION = Pattern.compile("Safepoint \"([A-Za-z0-9_]+)\"");

    private final Path path;

    public SafepointLog(Path path) {
        this.path = path;
    }

    /** The option that makes the child write this log (file lines are flushed as they are written). */
    public String jvmArg() {
        return "-Xlog:safepoint=info:file=" + path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    public String raw() {
        return TestFiles.readOrEmpty(path);
    }

    /** The VM operation of each safepoint so far, in order: "RedefineClasses", "ThreadDump", ... */
    public List<String> operations() {
        List<String> ops = new ArrayList<>();
        for (String line : raw().split("\\R")) {
            Matcher m = OPERATION.matcher(line);
            if (m.find()) {
                ops.add(m.group(1));
            }
        }
        return ops;
    }

    private static final Pattern TIMED = Pattern.compile(
            "^\\[([0-9.]+)s\\].*Safepoint \"([A-Za-z0-9_]+)\".*Total: (\\d+) ns");

    /** One safepoint: when it happened (seconds since JVM start), its VM operation, how long it stopped the world. */
    public record Pause(double uptimeSeconds, String operation, long totalNanos) {
    }

    /** Every safepoint so far with its total time (reaching it, and at it). */
    public List<Pause> pauses() {
        List<Pause> list = new ArrayList<>();
        for (String line : raw().split("\\R")) {
            Matcher m = TIMED.matcher(line);
            if (m.find()) {
                list.add(new Pause(Double.parseDouble(m.group(1)), m.group(2), Long.parseLong(m.group(3))));
            }
        }
        return list;
    }

    /**
     * The most stop-the-world time that safepoints of these operations took within any window of
     * {@code windowSeconds} (a window ends at each such safepoint).
     */
    public long mostNanosInAnyWindow(java.util.Set<String> operations, double windowSeconds) {
        List<Pause> ours = pauses().stream().filter(p -> operations.contains(p.operation())).toList();
        long most = 0;
        for (Pause end : ours) {
            long sum = 0;
            for (Pause p : ours) {
                if (p.uptimeSeconds() <= end.uptimeSeconds() && p.uptimeSeconds() > end.uptimeSeconds() - windowSeconds) {
                    sum += p.totalNanos();
                }
            }
            most = Math.max(most, sum);
        }
        return most;
    }

    /** Lines that mention {@code word} anywhere. */
    public List<String> linesContaining(String word) {
        List<String> out = new ArrayList<>();
        for (String line : raw().split("\\R")) {
            if (line.contains(word)) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * Waits for a safepoint of VM operation {@code operation}. The log is written by another process,
     * so this polls (every 50 ms) until the deadline, like {@link EventsFile#await}.
     */
    public void await(String operation, Duration timeout, JvmProcess child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!operations().contains(operation)) {
            if (System.nanoTime() - deadline > 0) {
                throw child.failure("no \"" + operation + "\" safepoint in " + path + " within " + timeout.toMillis()
                        + " ms; the log holds:\n" + raw());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
