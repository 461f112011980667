package io.jvmwatchdog.core.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Every event of the watchdog, as a JFR event: its name, headline and the events file's JSON
 * (without stacks). A new kind of event needs no new JFR class.
 */
@Name("io.jvmwatchdog.Event")
@Label("Watchdog Event")
@Category("JVM Watchdog")
@Description("An event of the watchdog, as its events file has it")
@StackTrace(false) // committed by the watchdog's thread; its stack would mislead
public class WatchdogJfrEvent extends Event {
    @Label("Event")
    @Description("stuck, recovered, interrupted, startup-timeout, watchdog-stuck or shutdown-timeout")
    public String event;

    @Label("Headline")
    public String headline;

    @Label("JSON")
    @Description("The event as the events file has it, without stacks")
    public String json;
}
