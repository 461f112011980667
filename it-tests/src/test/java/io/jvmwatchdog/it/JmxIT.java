package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.jvmwatchdog.it.apps.SpinningApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MXBean, read by a plain JMX client that has no class of the agent: counters, offenders as
 * composite data, a writable timeout, a report on demand, and a notification per event.
 */
class JmxIT {

    private static final ObjectName NAME = name("io.jvmwatchdog:type=Watchdog");

    @Test
    void aJmxClientReadsCountersAndOffenders_changesTheTimeout_takesAReport_andIsNotified(@TempDir Path tmp)
            throws Exception {
        try (JvmProcess app = JvmProcess.app(SpinningApp.class).agent("timeout=2s").tmpDir(tmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            try (JMXConnector connector = connect(app)) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                await(() -> jmx.isRegistered(NAME), "the MXBean registered", app);
                await(() -> (Long) jmx.getAttribute(NAME, "StuckDetected") >= 1, "a stuck thread counted", app);
                CompositeData[] offenders = (CompositeData[]) jmx.getAttribute(NAME, "Offenders");
                assertEquals(1, offenders.length, app::describe);
                assertTrue(((String) offenders[0].get("threadName")).startsWith("pool-"), offenders[0]::toString);
                assertEquals("no-progress", offenders[0].get("reason"), offenders[0]::toString);
                assertTrue((Long) jmx.getAttribute(NAME, "Passes") > 0);
                assertEquals("2s", jmx.getAttribute(NAME, "Timeout"));

                BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
                jmx.addNotificationListener(NAME, (n, handback) -> received.add(n), null, null);
                jmx.setAttribute(NAME, new Attribute("Timeout", "3s"));
                assertTrue(((String) jmx.getAttribute(NAME, "Options")).startsWith("timeout=3s,"), app::describe);
                app.awaitStderr("JVM Watchdog: timeout set to 3s through JMX", Deadlines.DETECT);
                // The restarted loop finds the spinner again, 3 s on: a notification with the event as JSON.
                Notification stuck = received.poll(Deadlines.DETECT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(stuck != null && stuck.getType().equals("io.jvmwatchdog.stuck"), () -> "got " + received
                        + "\n" + app.describe());
                assertTrue(((String) stuck.getUserData()).contains("\"reason\":\"no-progress\""), stuck::toString);

                await(() -> ((CompositeData[]) jmx.getAttribute(NAME, "Offenders")).length == 1, "the offender again", app);
                assertEquals("reported 1 stuck thread(s), with a thread dump", jmx.invoke(NAME, "reportNow", null, null));

                // An idle JMX connection: RMI's worker for it waits in a socket read for the next call,
                // which is no hang, however long the client stays quiet (past the 3 s timeout here).
                app.assertStderrStaysFreeOf(Pattern.compile("Stuck thread \"RMI TCP Connection"), Duration.ofSeconds(5));
                CompositeData[] after = (CompositeData[]) jmx.getAttribute(NAME, "Offenders");
                assertEquals(1, after.length, app::describe);
                assertTrue(((String) after[0].get("threadName")).startsWith("pool-"), () -> "still only the spinner: "
                        + after[0] + "\n" + app.describe());
            }
        }
    }

    /** A JMX connection to {@code app}, through the local management agent attach starts in it. */
    static JMXConnector connect(JvmProcess app) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(address));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what, JvmProcess app) throws Exception {
        long deadline = System.nanoTime() + Deadlines.DETECT.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw app.failure("not within " + Deadlines.DETECT.toMillis() + " ms: " + what);
            }
            Thread.sleep(100); // polling a remote JVM with a deadline
        }
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
