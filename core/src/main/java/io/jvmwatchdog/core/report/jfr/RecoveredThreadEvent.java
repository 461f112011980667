package io.jvmwatchdog.core.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A thread the watchdog had reported stuck made progress again. */
@Name("io.jvmwatchdog.RecoveredThread")
@Label("Recovered Thread")
@Category("JVM Watchdog")
@Description("A thread reported stuck has made progress again")
@StackTrace(false)
public class RecoveredThreadEvent extends ThreadEventFields {
    @Label("Was Stuck For")
    @Timespan(Timespan.MILLISECONDS)
    public long stuckMillis;
}
