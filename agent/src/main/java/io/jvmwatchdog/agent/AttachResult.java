package io.jvmwatchdog.agent;

/**
 * How {@code agentmain} tells the attaching command what happened: the attach API only carries
 * exceptions back, so the outcome is left in a system property of the target, which the command
 * reads right after loading the agent.
 */
public final class AttachResult {

    public static final String PROPERTY = "io.jvmwatchdog.attach.result";
    /** Set once the agent is installed: its options. What {@code list} and {@code status} look for. */
    public static final String LOADED_PROPERTY = "io.jvmwatchdog.loaded";
    /** Set while a launch-time install runs in the background, for the CLI's status. */
    public static final String INSTALLING_PROPERTY = "io.jvmwatchdog.installing";

    private AttachResult() {
    }

    static void set(String outcome) {
        System.setProperty(PROPERTY, outcome);
    }

    static void installing(boolean installing) {
        if (installing) {
            System.setProperty(INSTALLING_PROPERTY, "true");
        } else {
            System.clearProperty(INSTALLING_PROPERTY);
        }
    }

    static void loaded(String options) {
        System.setProperty(LOADED_PROPERTY, options);
    }
}
