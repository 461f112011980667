package io.jvmwatchdog.core.report;

import java.util.Map;

/**
 * What a report read of its offenders before any whole-JVM dump, by thread id: their stacks, the
 * carriers of virtual ones, and the task each runs. {@link #NONE} where an event is said without it.
 */
public record Evidence(Map<Long, StackTraceElement[]> stacks, Map<Long, String> carriers, Map<Long, String> tasks) {

    public static final Evidence NONE = new Evidence(Map.of(), Map.of(), Map.of());
}
