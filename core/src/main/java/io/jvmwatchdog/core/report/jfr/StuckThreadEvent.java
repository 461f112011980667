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
    @Description("no-progress, uninterruptible-wait, monitor-blocked, lock-wait, budget-exceeded, deadlock, pinned"
            + " or pool-starvation")
    public String reason;

    @Label("Stuck For")
    @Timespan(Timespan.MILLISECONDS)
    public long stuckMillis;

    @Label("Waits On")
    public String waitsOn;

    @Label("Action")
    public String action;

    @Label("Starved Pool")
    @Description("For pool-starvation: the pool, as Class@identity; else null")
    public String starvedPool;

    @Label("Pool Workers")
    @Description("For pool-starvation: the pool's workers, every one waiting inside a job")
    public int poolWorkers;

    @Label("Pool Queued")
    @Description("For pool-starvation: the tasks in the pool's queue, not started")
    public int poolQueued;
}
