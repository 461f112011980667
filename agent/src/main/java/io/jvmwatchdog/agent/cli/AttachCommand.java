package io.jvmwatchdog.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jvmwatchdog.agent.AttachResult;
import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.InvalidOptionException;
import io.jvmwatchdog.core.config.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code attach <pid> [options]}: loads this jar into a running JVM. The options are checked here
 * first, so a typo never reaches the target; the target's verdict comes back through
 * {@link AttachResult}.
 */
final class AttachCommand {

    private AttachCommand() {
    }

    static int run(String[] args, Path jar, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println("watchdog: attach takes a process id and, optionally, the options");
            err.println(Cli.USAGE);
            return Cli.BAD_ARGUMENTS;
        }
        String pid = args[1];
        if (!pid.matches("[0-9]{1,10}")) {
            err.println("watchdog: invalid process id '" + pid + "' (expected a number)");
            err.println(Cli.USAGE);
            return Cli.BAD_ARGUMENTS;
        }
        String options = args.length == 3 ? args[2] : "";
        try {
            ConfigSources.fromArgument(options);
        } catch (InvalidOptionException e) {
            err.println(e.getMessage());
            return Cli.BAD_ARGUMENTS;
        }
        if (pid.equals(String.valueOf(ProcessHandle.current().pid()))) {
            err.println("watchdog: cannot attach to this command's own process " + pid);
            return Cli.FAILED;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            boolean alive = ProcessHandle.of(Long.parseLong(pid)).isPresent();
            err.println("watchdog: cannot attach to process " + pid + ": "
                    + (alive ? message(e) + " (is it a JVM running as this user?)" : "no such process"));
            return Cli.FAILED;
        }
        try {
            vm.loadAgent(jar.toString(), options);
            String result = vm.getSystemProperties().getProperty(AttachResult.PROPERTY, "");
            if (result.startsWith("installed")) {
                out.println("watchdog: attached to process " + pid + " (" + result.substring(result.indexOf(':') + 1).trim() + ")");
                return Cli.OK;
            }
            if (result.startsWith("reconfigured")) {
                out.println("watchdog: reconfigured the watchdog in process " + pid + ": "
                        + result.substring(result.indexOf(':') + 1).trim());
                return Cli.OK;
            }
            if (result.startsWith("rejected: ")) {
                // An option only the target could check (a file it cannot open, a bad value in its
                // config file): its one line, said here and never on the target's stderr.
                err.println(result.substring("rejected: ".length()));
                return Cli.BAD_ARGUMENTS;
            }
            String reason = result.isEmpty() ? "the agent gave no answer" : result.substring(result.indexOf(':') + 1).trim();
            err.println("watchdog: process " + pid + " did not take the agent: " + reason);
            return Cli.FAILED;
        } catch (AgentLoadException | AgentInitializationException e) {
            err.println("watchdog: process " + pid + " refused the agent: " + message(e)
                    + " (on Java 21+ check that it does not run with -XX:-EnableDynamicAgentLoading)");
            return Cli.FAILED;
        } catch (IOException e) {
            err.println("watchdog: attaching to process " + pid + " failed: " + message(e));
            return Cli.FAILED;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may be gone; nothing left to release on our side
            }
        }
    }

    static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
