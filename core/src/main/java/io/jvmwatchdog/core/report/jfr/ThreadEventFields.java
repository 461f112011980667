package io.jvmwatchdog.core.report.jfr;

import jdk.jfr.Event;
import jdk.jfr.Label;

/** What both events say of the thread. (Fields, not a JFR Thread: the offender is not the committing thread.) */
abstract class ThreadEventFields extends Event {
    @Label("Thread Name")
    public String threadName;

    @Label("Thread Id")
    public long threadId;

    @Label("Virtual")
    public boolean virtual;

    @Label("Thread State")
    public String threadState;

    @Label("Entry")
    public String entry;
}
