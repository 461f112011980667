package io.jvmwatchdog.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child's GC log, written by {@code -Xlog:gc,safepoint:file=<path>} (see {@link #jvmArg()}). HotSpot writes one
 * line per pause, on Java 17 and 25 alike:
 * <pre>
 * [2026-11-26T17:17:02.925+0000][11.110s][info][gc] GC(1) Pause Full (System.gc()) 970M-&gt;919M(2969M) 3091.058ms
 * </pre>
 * (the wall-clock time is the end of the pause). With Serial, every pause stops the world.
 */
public final class GcLog {

    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) (Pause [^\\n]*?) (\\d+(?:\\.\\d+)?)ms\\s*$");

    /** One stop-the-world pause: its log line and its length. */
    public record Pause(String line, double millis) {
    }

    private final Path path;

    public GcLog(Path path) {
        this.path = path;
    }

    /**
     * The option that makes the child write this log, each line with its wall-clock time and uptime;
     * safepoints too (their lines are not pauses here, but they show the VM operations that stopped the
     * world besides collections, such as a report's thread dump).
     */
    public String jvmArg() {
        return "-Xlog:gc,safepoint:file=" + path.toAbsolutePath() + ":utctime,uptime,level,tags";
    }

    public String raw() {
        return TestFiles.readOrEmpty(path);
    }

    public List<Pause> pauses() {
        List<Pause> out = new ArrayList<>();
        for (String line : raw().split("\\R")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                out.add(new Pause(line, Double.parseDouble(m.group(2))));
            }
        }
        return out;
    }

    /** The pauses longer than {@code millis}. */
    public List<Pause> longerThan(long millis) {
        List<Pause> out = new ArrayList<>();
        for (Pause p : pauses()) {
            if (p.millis() > millis) {
                out.add(p);
            }
        }
        return out;
    }

    public double longestMillis() {
        double max = 0;
        for (Pause p : pauses()) {
            max = Math.max(max, p.millis());
        }
        return max;
    }
}
