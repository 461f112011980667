package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import java.util.concurrent.TimeUnit;

/**
 * Registers the MXBean late, from a daemon thread, never in premain. The platform MBean server
 * initialises {@code java.util.logging}'s LogManager; an application that installs its own log
 * manager from {@code main} (WildFly and JBoss, through jboss-modules) breaks if that happens first
 * (OpenTelemetry #11151). So under jboss-modules the registration waits until the application has set
 * {@code java.util.logging.manager}, for at most a minute.
 */
public final class JmxRegistration {

    private static final long WAIT_FOR_LOG_MANAGER_NANOS = TimeUnit.MINUTES.toNanos(1);

    private JmxRegistration() {
    }

    public static void registerLater(WatchdogJmx bean) {
        AgentThreads.newThread("watchdog-jmx", () -> {
            try {
                if (underJbossModules()) {
                    long deadline = System.nanoTime() + WAIT_FOR_LOG_MANAGER_NANOS;
                    while (System.getProperty("java.util.logging.manager") == null && System.nanoTime() - deadline < 0) {
                        Thread.sleep(100);
                    }
                }
                bean.register();
                AgentLogging.logger().debug("JVM Watchdog: MXBean registered as {}", WatchdogJmx.OBJECT_NAME);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError e) {
                AgentLogging.logger().info("JVM Watchdog: no MXBean ({}): {}", WatchdogJmx.OBJECT_NAME, e.toString());
            }
        }).start();
    }

    private static boolean underJbossModules() {
        String command = System.getProperty("sun.java.command", "");
        return command.startsWith("org.jboss.modules.Main") || command.contains("jboss-modules.jar");
    }
}
