package io.jvmwatchdog.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jvmwatchdog.agent.AttachResult;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.jmx.StatusText;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code status <pid>}: the threads the watchdog in a running JVM judged at its last pass, as a
 * table, and its counters. Read over the attach channel from the JVM's agent properties, where the
 * watchdog publishes its status after each pass ({@link StatusText}): nothing is loaded into the
 * target, no management agent is started, and nothing is left listening on a port.
 */
final class StatusCommand {

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
        String published;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                java.util.Properties system = vm.getSystemProperties();
                if (system.getProperty(AttachResult.LOADED_PROPERTY) == null && system.getProperty(AttachResult.INSTALLING_PROPERTY) != null) {
                    err.println("watchdog: the agent in process " + pid + " is still installing its watchdog"
                            + " (made once the application's start settles, within one period of main): try again in a moment");
                    return Cli.FAILED;
                }
                if (system.getProperty(AttachResult.LOADED_PROPERTY) == null) {
                    err.println("watchdog: the agent is not loaded in process " + pid
                            + " (load it with: java -jar watchdog.jar attach " + pid + ")");
                    return Cli.FAILED;
                }
                published = vm.getAgentProperties().getProperty(StatusText.PROPERTY);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            boolean alive = ProcessHandle.of(Long.parseLong(pid)).isPresent();
            err.println("watchdog: cannot attach to process " + pid + ": "
                    + (alive ? AttachCommand.message(e) + " (is it a JVM running as this user?)" : "no such process"));
            return Cli.FAILED;
        }
        if (published == null) {
            err.println("watchdog: the watchdog in process " + pid + " has published no status yet (it does once it"
                    + " starts: with ready=, when the application is ready)");
            return Cli.FAILED;
        }
        try {
            print(out, pid, StatusText.parse(published));
            return Cli.OK;
        } catch (RuntimeException e) {
            err.println("watchdog: cannot read the status of process " + pid + " (another version of the agent?): " + e);
            return Cli.FAILED;
        }
    }

    private static void print(PrintStream out, String pid, StatusText.Status status) {
        out.println("JVM Watchdog in process " + pid + ": " + status.options());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"THREAD", "STATE", "FOR", "ENTRY", "STUCK"});
        for (StatusText.Row t : status.threads()) {
            rows.add(new String[] {t.thread(), t.state(), Durations.formatNanos(TimeUnit.MILLISECONDS.toNanos(t.inStateMillis())),
                t.entry(), t.stuckReason().equals("-") ? "no" : "yes (" + t.stuckReason() + ")"});
        }
        printTable(out, rows);
        if (status.threads().isEmpty()) {
            out.println("(no thread in a unit of work or waiting for a lock at the last pass)");
        }
        if (status.more() > 0) {
            out.println("(and " + status.more() + " more, shorter in their state)");
        }
        if (!status.busy().isEmpty()) {
            out.println("Not watched: busy on a core for a whole timeout or more, outside any unit of work");
            List<String[]> busy = new ArrayList<>();
            busy.add(new String[] {"THREAD", "CPU", "FOR", "WATCH IT WITH", "TOP FRAMES"});
            for (StatusText.BusyRow b : status.busy()) {
                busy.add(new String[] {b.thread(), b.cpuPercent() + "%",
                    Durations.formatNanos(TimeUnit.MILLISECONDS.toNanos(b.busyMillis())),
                    b.suggestedEntry().equals("-") ? "-" : "entry=" + b.suggestedEntry(), String.join(" <- ", b.topFrames())});
            }
            printTable(out, busy);
        }
        Map<String, String> c = status.counters();
        String stopped = c.get("jvm stopped % last timeout");
        if (stopped != null) { // an agent from before the stall check publishes none
            out.println("JVM stopped " + (stopped.equals("-") ? "(not yet a whole timeout watched)" : stopped + " % of the last timeout")
                    + ", stalls reported " + c.get("jvm stalls"));
        }
        long age = System.currentTimeMillis() - status.publishedAtMillis();
        out.println("passes " + c.get("passes") + ", stuck detected " + c.get("stuck detected") + ", recovered "
                + c.get("recovered") + ", startup timeouts " + c.get("startup timeouts") + ", watchdog stuck "
                + c.get("watchdog stuck") + ", dropped report bytes " + c.get("dropped report bytes") + ", agent pauses "
                + c.get("agent pauses ms") + " ms (" + c.get("agent pauses ms last minute") + " ms in the last minute), last pass "
                + c.get("last pass us") + " us, " + Durations.formatNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, age))) + " ago");
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
