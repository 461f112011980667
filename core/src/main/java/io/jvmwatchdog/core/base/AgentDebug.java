package io.jvmwatchdog.core.base;

/**
 * Whether the agent logs at debug level ({@code -Dwatchdog.debug=true}). A class of its own, apart
 * from {@link AgentLogging}: the weaver asks before {@code main}, where loading the logging (its
 * stderr sink, and a dozen logback types its verification loads) would cost the start 3 ms.
 */
public final class AgentDebug {

    private AgentDebug() {
    }

    public static boolean requested() {
        return Boolean.getBoolean("watchdog.debug");
    }
}
