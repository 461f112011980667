package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.detect.StuckDetector;
import io.jvmwatchdog.core.jvm.BusyThreads;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.ReportText;
import io.jvmwatchdog.core.watch.Counters;
import io.jvmwatchdog.core.watch.Watchdog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code java -jar watchdog.jar status <pid>} shows, as the watchdog publishes it after each pass
 * in the JVM's agent properties under {@link #PROPERTY}: the attaching command reads it over the attach
 * channel, so nothing listens on a port for it, and only the JVM's own user can read it.
 *
 * <p>Lines of tab-separated fields (names and entries have tabs and line breaks turned into spaces):
 * <pre>
 * published	1764903600123
 * options	timeout=2s,action=log,...
 * counters	passes=36	stuck detected=1	...
 * thread	"pool-1-thread-1" #14	RUNNABLE (running)	17500	java.util.concurrent.ThreadPoolExecutor.runWorker	no-progress
 * more	12
 * busy	"crunch" #22	100	6000	com.example.Crunch#loop	com.example.Crunch.step(Crunch.java:20) | ...
 * </pre>
 * {@code busy} lines are the blind spots: threads that used a core for a whole timeout outside any
 * unit (CPU percent, busy for ms, the {@code entry=} that would watch them, top frames).
 * One {@code thread} line per thread the last pass judged, stuck ones first, then the longest in their
 * state, at most {@link #MAX_THREADS}; {@code more} counts the rest. Bounded, so a pass over thousands
 * of busy threads publishes tens of kilobytes, not megabytes.
 */
public final class StatusText {

    public static final String PROPERTY = "io.jvmwatchdog.status";
    static final int MAX_THREADS = 500;

    private StatusText() {
    }

    /** A thread line: label, state, time in state (ms), entry ("-" for none), stuck reason ("-" when not stuck). */
    public record Row(String thread, String state, long inStateMillis, String entry, String stuckReason) {
    }

    /** A blind spot: label, CPU percent of one core, busy for (ms), suggested entry ("-" for none), top frames. */
    public record BusyRow(String thread, int cpuPercent, long busyMillis, String suggestedEntry, List<String> topFrames) {
    }

    /** The status, as published and as read back. */
    public record Status(long publishedAtMillis, String options, Map<String, String> counters, List<Row> threads,
                         int more, List<BusyRow> busy) {
    }

    /** The watchdog's status now, as text. */
    public static String of(Watchdog watchdog, long nowMillis) {
        Counters c = watchdog.counters();
        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("passes", Long.toString(c.passes()));
        counters.put("stuck detected", Long.toString(c.stuckDetected()));
        counters.put("recovered", Long.toString(c.recovered()));
        counters.put("startup timeouts", Long.toString(c.startupTimeouts()));
        counters.put("watchdog stuck", Long.toString(c.watchdogStuck()));
        counters.put("dropped report bytes", Long.toString(AgentLogging.sink().droppedBytes()));
        counters.put("agent pauses ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(watchdog.pauses().totalNanos())));
        counters.put("agent pauses ms last minute", Long.toString(TimeUnit.NANOSECONDS.toMillis(watchdog.pauses().spentInWindowNanos())));
        counters.put("last pass us", Long.toString(c.lastPassMicros()));
        counters.put("jvm stalls", Long.toString(c.jvmStalls()));
        int stopped = watchdog.stoppedPermille();
        counters.put("jvm stopped % last timeout", stopped < 0 ? "-" : stopped / 10 + "." + stopped % 10);
        return format(nowMillis, watchdog.options().toString(), counters, watchdog.watched(), watchdog.unwatchedBusy());
    }

    /** The text of a status: a pure function of what it shows. */
    static String format(long nowMillis, String options, Map<String, String> counters, List<StuckDetector.Watched> judged,
                         List<BusyThreads.Busy> busy) {
        List<StuckDetector.Watched> watched = new ArrayList<>(judged);
        watched.sort(Comparator.comparing((StuckDetector.Watched w) -> w.stuckReason() == null)
                .thenComparing(Comparator.comparingLong(StuckDetector.Watched::inStateNanos).reversed()));
        StringBuilder sb = new StringBuilder(256 + Math.min(watched.size(), MAX_THREADS) * 128);
        sb.append("published\t").append(nowMillis).append('\n');
        sb.append("options\t").append(options).append('\n');
        sb.append("counters");
        counters.forEach((k, v) -> sb.append('\t').append(k).append('=').append(v));
        sb.append('\n');
        for (int i = 0; i < watched.size() && i < MAX_THREADS; i++) {
            StuckDetector.Watched w = watched.get(i);
            ThreadSample s = w.sample();
            sb.append("thread\t").append(field(ReportText.threadLabel(s))).append('\t')
                    .append(s.jvmState()).append(" (").append(s.activity().label()).append(")\t")
                    .append(TimeUnit.NANOSECONDS.toMillis(w.inStateNanos())).append('\t')
                    .append(s.entry() == null ? "-" : field(s.entry())).append('\t')
                    .append(w.stuckReason() == null ? "-" : w.stuckReason().id()).append('\n');
        }
        if (watched.size() > MAX_THREADS) {
            sb.append("more\t").append(watched.size() - MAX_THREADS).append('\n');
        }
        for (BusyThreads.Busy b : busy) {
            sb.append("busy\t").append(field("\"" + b.name() + "\" #" + b.threadId())).append('\t').append(b.cpuPercent())
                    .append('\t').append(TimeUnit.NANOSECONDS.toMillis(b.busyNanos())).append('\t')
                    .append(b.suggestedEntry() == null ? "-" : field(b.suggestedEntry())).append('\t')
                    .append(field(String.join(" | ", b.topFrames()))).append('\n');
        }
        return sb.toString();
    }

    /** Reads back what {@link #of} published. @throws IllegalArgumentException for text it did not write */
    public static Status parse(String text) {
        long published = -1;
        String options = null;
        Map<String, String> counters = new LinkedHashMap<>();
        List<Row> threads = new ArrayList<>();
        List<BusyRow> busy = new ArrayList<>();
        int more = 0;
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "published" -> published = Long.parseLong(f[1]);
                case "options" -> options = f[1];
                case "counters" -> {
                    for (int i = 1; i < f.length; i++) {
                        int eq = f[i].indexOf('=');
                        counters.put(f[i].substring(0, eq), f[i].substring(eq + 1));
                    }
                }
                case "thread" -> threads.add(new Row(f[1], f[2], Long.parseLong(f[3]), f[4], f[5]));
                case "more" -> more = Integer.parseInt(f[1]);
                case "busy" -> busy.add(new BusyRow(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4],
                        f[5].isEmpty() ? List.of() : List.of(f[5].split(" \\| "))));
                default -> {
                    // a later version's line: left out
                }
            }
        }
        if (options == null) {
            throw new IllegalArgumentException("not a watchdog status: " + text);
        }
        return new Status(published, options, counters, threads, more, busy);
    }

    private static String field(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
