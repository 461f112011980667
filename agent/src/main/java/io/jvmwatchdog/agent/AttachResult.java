package io.jvmwatchdog.agent;

/**
 * How {@code agentmain} tells the attaching command what happened: the attach API only carries
 * exceptions back, so the outcome is left in a system property of the target, which the command
 * reads right after loading the agent.
 */
public final class AttachResult {

    public static final String PROPERTY = "io.jvmwatchdog.attach.result";

    private AttachResult() {
    }

    static void set(String outcome) {
        System.setProperty(PROPERTY, outcome);
    }
}
