package io.jvmwatchdog.agent.cli;

import io.jvmwatchdog.core.config.Option;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code java -jar watchdog.jar <command>}: the jar's {@code Main-Class}. Each failure is one line on
 * stderr and a non-zero status; bad arguments add a {@code Usage:} line.
 */
public final class Cli {

    static final String USAGE = "Usage: java -jar watchdog.jar attach <pid> [key=value,...] | status <pid> | list | demo | --help";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    private Cli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("watchdog: no command given");
            err.println(USAGE);
            return BAD_ARGUMENTS;
        }
        switch (args[0]) {
            case "attach":
                return AttachCommand.run(args, ownJar(), out, err);
            case "status":
                return StatusCommand.run(args, out, err);
            case "list":
                return ListCommand.run(args, out, err);
            case "demo":
                return DemoCommand.run(args, ownJar(), out, err);
            case "--help":
            case "-h":
            case "help":
                out.println(USAGE);
                out.println();
                out.println("  attach <pid> [options]  load the watchdog into a running JVM (or reconfigure it there)");
                out.println("  status <pid>            the threads the watchdog of a running JVM judged, as a table, and its counters");
                out.println("  list                    the JVMs of this user here, and whether the watchdog runs in each");
                out.println("  demo                    run a small program under the watchdog and watch it catch a stuck thread");
                out.println();
                printOptions(out);
                out.println("At launch: java -javaagent:watchdog.jar=timeout=3m,action=log -jar app.jar");
                return OK;
            default:
                err.println("watchdog: unknown command '" + args[0] + "'");
                err.println(USAGE);
                return BAD_ARGUMENTS;
        }
    }

    /** The options, from their rows: key, default and one line each. */
    private static void printOptions(PrintStream out) {
        out.println("Options (key=value, comma separated; also -Dwatchdog.<key>, WATCHDOG_<KEY>, or a file with config=<file>):");
        for (Option<?> option : Option.ALL) {
            out.printf("  %-20s %s (default %s)%n", option.key(), option.help(), option.defaultText());
        }
        out.printf("  %-20s %s%n", "config", "a properties file with more options, read once at start");
    }

    static Path ownJar() {
        try {
            return Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate watchdog.jar", e);
        }
    }
}
