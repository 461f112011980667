package io.jvmwatchdog.agent;

import java.lang.instrument.Instrumentation;

/**
 * {@code Premain-Class} and {@code Agent-Class}. Only delegates: it must not touch the boot runtime
 * (not yet defined in the bootstrap loader) nor anything slow.
 */
public final class AgentMain {

    private AgentMain() {
    }

    /** {@code -javaagent:watchdog.jar=options}: a bad option stops the JVM before {@code main}. */
    public static void premain(String agentArgs, Instrumentation inst) {
        AgentClasses.defineEarly(inst); // first: the classes the launch needs, in one go
        Launcher.launch(agentArgs, inst, false);
    }

    /** Runtime attach: a bad option leaves the target untouched and tells the attaching command. */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        Launcher.launch(agentArgs, inst, true);
    }
}
