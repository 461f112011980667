package io.jvmwatchdog.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jvmwatchdog.agent.AttachResult;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.jmx.WatchdogMBean;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code status <pid>}: the threads the watchdog in a running JVM judged at its last pass, as a
 * table, and its counters. Read through the JVM's local management agent (started on demand, as
 * {@code jcmd ManagementAgent.start_local} would) from the watchdog's MXBean; nothing is loaded into
 * the target.
 */
final class StatusCommand {

    private static final long MXBEAN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private StatusCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[1].matches("[0-9]{1,10}")) {
            err.println(args.length == 2 ? "watchdog: invalid process id '" + args[1] + "' (expected a number)"
                    : "watchdog: status takes a process id");
            err.println(Cli.USAGE);
            return Cli.BAD_ARGUMENTS;
        }
        String pid = args[1];
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                if (vm.getSystemProperties().getProperty(AttachResult.LOADED_PROPERTY) == null) {
                    err.println("watchdog: the agent is not loaded in process " + pid
                            + " (load it with: java -jar watchdog.jar attach " + pid + ")");
                    return Cli.FAILED;
                }
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            boolean alive = ProcessHandle.of(Long.parseLong(pid)).isPresent();
            err.println("watchdog: cannot attach to process " + pid + ": "
                    + (alive ? AttachCommand.message(e) + " (is it a JVM running as this user?)" : "no such process"));
            return Cli.FAILED;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName name = WatchdogMBean.objectName();
            long deadline = System.nanoTime() + MXBEAN_WAIT_NANOS;
            while (!jmx.isRegistered(name)) {
                if (System.nanoTime() > deadline) {
                    err.println("watchdog: process " + pid + " has the agent but no " + WatchdogMBean.OBJECT_NAME
                            + " yet (it registers once main runs)");
                    return Cli.FAILED;
                }
                Thread.sleep(100);
            }
            print(out, pid, jmx, name);
            return Cli.OK;
        } catch (Exception e) {
            err.println("watchdog: reading the watchdog of process " + pid + " failed: " + AttachCommand.message(e));
            return Cli.FAILED;
        }
    }

    private static void print(PrintStream out, String pid, MBeanServerConnection jmx, ObjectName name) throws Exception {
        out.println("JVM Watchdog in process " + pid + ": " + jmx.getAttribute(name, "Options"));
        CompositeData[] watched = (CompositeData[]) jmx.getAttribute(name, "WatchedThreads");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"THREAD", "STATE", "FOR", "ENTRY", "STUCK"});
        for (CompositeData t : watched) {
            String reason = (String) t.get("stuckReason");
            String entry = (String) t.get("entry");
            rows.add(new String[] {(String) t.get("thread"), (String) t.get("state"),
                Durations.formatNanos(TimeUnit.MILLISECONDS.toNanos((Long) t.get("inStateMillis"))),
                entry == null ? "-" : entry, reason == null ? "no" : "yes (" + reason + ")"});
        }
        printTable(out, rows);
        if (watched.length == 0) {
            out.println("(no thread in a unit of work or waiting for a lock at the last pass)");
        }
        out.println("passes " + jmx.getAttribute(name, "Passes") + ", stuck detected " + jmx.getAttribute(name, "StuckDetected")
                + ", recovered " + jmx.getAttribute(name, "Recovered") + ", startup timeouts "
                + jmx.getAttribute(name, "StartupTimeouts") + ", watchdog stuck " + jmx.getAttribute(name, "WatchdogStuck")
                + ", dropped report bytes " + jmx.getAttribute(name, "DroppedReportBytes") + ", last pass "
                + jmx.getAttribute(name, "LastPassMicros") + " us");
    }

    /** Columns padded to their widest cell; the last one is not padded. */
    static void printTable(PrintStream out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            out.println(line);
        }
    }
}
