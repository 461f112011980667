package io.jvmwatchdog.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.jvmwatchdog.agent.AttachResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code list}: the JVMs of this user on this machine (as {@code jps} finds them) and whether the
 * watchdog runs in each. Asking means attaching, which loads nothing into the target.
 */
final class ListCommand {

    private ListCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("watchdog: list takes no arguments");
            err.println(Cli.USAGE);
            return Cli.BAD_ARGUMENTS;
        }
        String self = String.valueOf(ProcessHandle.current().pid());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "WATCHDOG", "MAIN"});
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(self)) {
                continue;
            }
            rows.add(new String[] {d.id(), watchdogOf(d), d.displayName().isEmpty() ? "-" : d.displayName()});
        }
        StatusCommand.printTable(out, rows);
        return Cli.OK;
    }

    /** The agent's options where it runs, "no" where it does not, or why the JVM could not be asked. */
    private static String watchdogOf(VirtualMachineDescriptor d) {
        try {
            VirtualMachine vm = VirtualMachine.attach(d);
            try {
                String loaded = vm.getSystemProperties().getProperty(AttachResult.LOADED_PROPERTY);
                return loaded == null ? "no" : "yes (" + loaded.substring(0, loaded.indexOf(",action")) + ")";
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            return "unknown (" + AttachCommand.message(e) + ")";
        }
    }
}
