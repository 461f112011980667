package io.jvmwatchdog.core.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The whole JVM made no progress over a timeout (a {@code jvm-stall} event), as a JFR event. */
@Name("io.jvmwatchdog.JvmStall")
@Label("JVM Stall")
@Category("JVM Watchdog")
@Description("Stop-the-world pauses took most of the last timeout, or the watchdog's own thread could not run on time")
@StackTrace(false)
public class JvmStallEvent extends Event {
    @Label("Cause")
    @Description("pauses or starved")
    public String cause;

    @Label("Window")
    @Timespan(Timespan.MILLISECONDS)
    public long windowMillis;

    @Label("Stopped")
    @Timespan(Timespan.MILLISECONDS)
    public long stoppedMillis;

    @Label("Stopped Share")
    @Percentage
    public float stoppedShare;

    @Label("Pauses")
    @Description("Safepoints in the window, or -1 where the JVM does not count them")
    public long pauses;

    @Label("Collections")
    public long collections;

    @Label("Collector")
    @Description("The collector that took the most time in the window")
    public String collector;

    @Label("Heap After GC")
    @Percentage
    public float heapAfterGc;

    @Label("Late")
    @Description("For a starved watchdog: how late its passes were in all, beyond what pauses explain")
    @Timespan(Timespan.MILLISECONDS)
    public long lateMillis;

    @Label("Action")
    public String action;
}
