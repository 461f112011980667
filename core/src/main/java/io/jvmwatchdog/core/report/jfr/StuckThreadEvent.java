package io.jvmwatchdog.core.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A thread the watchdog found stuck, as a JFR event: one per offender, when it is first found. */
@Name("io.jvmwatchdog.StuckThread")
@Label("Stuck Thread")
@Category("JVM Watchdog")
@Description("A thread stuck in one state past the watchdog's timeout")
@StackTrace(false) // the event is committed by the watchdog's thread; its stack would mislead
public class StuckThreadEvent extends ThreadEventFields {
    @Label("Reason")
    @Description("no-progress, uninterruptible-wait, monitor-blocked, lock-wait, budget-exceeded, deadlock or pinned")
    public String reason;

    @Label("Stuck For")
    @Timespan(Timespan.MILLISECONDS)
    public long stuckMillis;

    @Label("Waits On")
    public String waitsOn;

    @Label("Action")
    public String action;
}
