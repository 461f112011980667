package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;

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

    /**
     * At most this long after the install, the MXBean is registered even if the watchdog has made
     * no pass yet (a long timeout: the first pass comes a quarter of it later).
     */
    public static final long REGISTER_WITHIN_SECONDS = 10;

    /**
     * Registers the MXBean on a daemon thread: at once if the JVM's platform MBean server exists
     * already (registering is then cheap), else when {@code firstPass} opens (the watchdog has
     * something to show), at most {@value #REGISTER_WITHIN_SECONDS} s from now. Creating the platform
     * server costs about a tenth of a second of CPU and some 110 classes: deferred, it stays out of
     * the application's start, which the agent shares two cores with.
     */
    public static void registerLater(WatchdogJmx bean, CountDownLatch firstPass) {
        AgentThreads.newThread("watchdog-jmx", () -> {
            try {
                if (!platformServerExists()) {
                    firstPass.await(REGISTER_WITHIN_SECONDS, TimeUnit.SECONDS);
                }
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

    /** Whether anything made the platform MBean server already (it is listed by the factory that made it). */
    private static boolean platformServerExists() {
        try {
            return !MBeanServerFactory.findMBeanServer(null).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean underJbossModules() {
        String command = System.getProperty("sun.java.command", "");
        return command.startsWith("org.jboss.modules.Main") || command.contains("jboss-modules.jar");
    }
}
