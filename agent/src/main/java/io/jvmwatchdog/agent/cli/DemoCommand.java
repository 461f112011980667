package io.jvmwatchdog.agent.cli;

import io.jvmwatchdog.agent.demo.DemoApp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code demo}: runs {@link DemoApp} in a child JVM under the agent, with a 2-second timeout. */
final class DemoCommand {

    static final String DEMO_OPTIONS = "timeout=2s";

    private DemoCommand() {
    }

    static int run(String[] args, Path jar, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("watchdog: demo takes no arguments");
            err.println(Cli.USAGE);
            return Cli.BAD_ARGUMENTS;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-javaagent:" + jar + "=" + DEMO_OPTIONS, "-cp", jar.toString(),
                DemoApp.class.getName());
        out.println("watchdog demo: " + String.join(" ", command));
        out.flush();
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                err.println("watchdog: the demo did not finish within 60s");
                return Cli.FAILED;
            }
            return child.exitValue();
        } catch (IOException e) {
            err.println("watchdog: cannot start the demo JVM: " + e.getMessage());
            return Cli.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.FAILED;
        }
    }
}
