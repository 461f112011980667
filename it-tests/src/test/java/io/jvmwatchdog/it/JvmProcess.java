package io.jvmwatchdog.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM under test: started with {@link ProcessBuilder}, stdout and stderr drained on their
 * own threads, waited for with deadlines, always destroyed on {@link #close()}. Every failure message
 * carries the command line and everything the child printed.
 */
public final class JvmProcess implements AutoCloseable {

    /** Generous: a JVM starting on a loaded 2-core machine can take seconds. */
    public static final Duration DEFAULT_START = Duration.ofSeconds(20);

    private static final Charset CHARSET = StandardCharsets.UTF_8;

    private final List<String> command;
    private final Process process;
    private final OutputBuffer stdout;
    private final OutputBuffer stderr;
    private final long startNanos = System.nanoTime();
    private volatile long exitedAtMillis = -1;

    private JvmProcess(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        process.onExit().thenRun(() -> exitedAtMillis = System.currentTimeMillis());
        this.stdout = OutputBuffer.drain("stdout", process.getInputStream(), CHARSET);
        this.stderr = OutputBuffer.drain("stderr", process.getErrorStream(), CHARSET);
    }

    /** A program from {@code io.jvmwatchdog.it.apps}, on the test-classes class path. */
    public static Builder app(Class<?> mainClass) {
        return new Builder().mainClass(mainClass.getName());
    }

    /**
     * A program by its class name, for those compiled apart for a newer Java (src/test/java21),
     * which the tests compiled for Java 17 cannot refer to.
     */
    public static Builder app(String mainClassName) {
        return new Builder().mainClass(mainClassName);
    }

    /** {@code java -jar watchdog.jar args...}: the agent's command line. */
    public static Builder cli(String... args) {
        Builder b = new Builder();
        b.jarArgs = new ArrayList<>(Arrays.asList(args));
        return b;
    }

    public static final class Builder {
        private String agentOptions; // null: no -javaagent at all
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx128m", "-XX:+UseSerialGC"));
        private final List<String> classpath = new ArrayList<>();
        private String mainClass;
        private final List<String> args = new ArrayList<>();
        private List<String> jarArgs; // non-null: java -jar watchdog.jar jarArgs
        private boolean outputToUnreadPipe;
        private final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();

        private Builder() {
            classpath.add(ItEnv.testClasses().toString());
        }

        private Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** {@code -javaagent:watchdog.jar=options} ({@code -javaagent:watchdog.jar} when empty). */
        public Builder agent(String options) {
            this.agentOptions = options;
            return this;
        }

        /**
         * {@code -Djava.io.tmpdir}: the agent's temporary boot jar goes there (a child killed or
         * halted cannot delete it), so a test's {@code @TempDir} keeps /tmp clean.
         */
        public Builder tmpDir(Path dir) {
            jvmArgs.add("-Djava.io.tmpdir=" + dir.toAbsolutePath());
            return this;
        }

        /**
         * A service-sized JVM: this maximum heap, and the JVM's own default collector (G1 here) instead
         * of the small serial setup the other tests use.
         */
        public Builder serviceHeap(String maxHeap) {
            jvmArgs.remove("-Xmx128m");
            jvmArgs.remove("-XX:+UseSerialGC");
            jvmArgs.add("-Xmx" + maxHeap);
            return this;
        }

        /** Sets an environment variable of the child. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** Adds the watchdog-api classes, for a program calling {@code io.jvmwatchdog.api.Watchdog}. */
        public Builder withApi() {
            classpath.add(ItEnv.apiClasspath().toString());
            return this;
        }

        /**
         * Adds the test class path's jars whose file names start with these prefixes (see
         * {@link ItEnv#testLibraries}), e.g. {@code withLibraries("jetty-", "slf4j-api")} for a program
         * running Jetty.
         */
        public Builder withLibraries(String... fileNamePrefixes) {
            ItEnv.testLibraries(fileNamePrefixes).forEach(jar -> classpath.add(jar.toString()));
            return this;
        }

        /** Adds the jars of a directory under it-tests/target (see {@link ItEnv#jarsIn}). */
        public Builder withJarsIn(String dirUnderTarget) {
            ItEnv.jarsIn(dirUnderTarget).forEach(jar -> classpath.add(jar.toString()));
            return this;
        }

        /** Adds a directory or a jar of the test's own, e.g. one holding a program's configuration files. */
        public Builder withClasspathEntry(Path entry) {
            classpath.add(entry.toAbsolutePath().toString());
            return this;
        }

        /**
         * The class path is these jars only, without the test classes' folder: the JVM's class
         * sharing archives classes from jars and refuses a class path with a non-empty folder.
         */
        public Builder classpathOnly(List<Path> jars) {
            classpath.clear();
            jars.forEach(j -> classpath.add(j.toAbsolutePath().toString()));
            return this;
        }

        /**
         * Sends the JVM's stdout and stderr into a pipe that nothing ever reads (the stdin of a
         * {@code sleep}), so that writers block once the pipe's buffer is full, as under a log shipper
         * that stalled. The JVM runs under bash, which prints {@code status=<exit status> at=<epoch ms>}
         * on this process's stdout when the JVM ends; nothing else of the JVM's output is seen.
         */
        public Builder outputToUnreadPipe() {
            this.outputToUnreadPipe = true;
            return this;
        }

        public Builder args(String... more) {
            args.addAll(Arrays.asList(more));
            return this;
        }

        List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(ItEnv.javaExecutable().toString());
            cmd.addAll(jvmArgs);
            if (jarArgs != null) {
                cmd.add("-jar");
                cmd.add(ItEnv.agentJar().toString());
                cmd.addAll(jarArgs);
                return cmd;
            }
            if (agentOptions != null) {
                cmd.add("-javaagent:" + ItEnv.agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
            }
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classpath));
            cmd.add(mainClass);
            cmd.addAll(args);
            return cmd;
        }

        public JvmProcess start() {
            List<String> cmd = command();
            if (outputToUnreadPipe) {
                StringBuilder quoted = new StringBuilder();
                for (String word : cmd) {
                    quoted.append(" '").append(word.replace("'", "'\\''")).append('\'');
                }
                cmd = List.of("bash", "-c", "coproc UNREAD { sleep 600; }; exec 3>&\"${UNREAD[1]}\";"
                        + quoted + " >&3 2>&3; status=$?; at=$(date +%s%3N); kill \"$UNREAD_PID\" 2>/dev/null;"
                        + " echo \"status=$status at=$at\"");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().remove("JAVA_TOOL_OPTIONS"); // a stray option would print "Picked up ..." on stderr
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("_JAVA_OPTIONS");
            pb.environment().keySet().removeIf(k -> k.startsWith("WATCHDOG_")); // only what the test sets
            pb.environment().putAll(environment);
            try {
                return new JvmProcess(cmd, pb.start());
            } catch (IOException e) {
                throw new AssertionError("cannot start " + String.join(" ", cmd), e);
            }
        }

        /** Starts, waits for the exit and returns what it printed; the process is gone afterwards. */
        public Result run(Duration timeout) {
            try (JvmProcess p = start()) {
                int status = p.awaitExit(timeout);
                return new Result(p.command, status, p.stdout(), p.stderr());
            }
        }
    }

    /** A finished run: exit status and output. */
    public static final class Result {
        public final List<String> command;
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        Result(List<String> command, int exitCode, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        public String describe() {
            return JvmProcess.describe(command, "exit status " + exitCode, stdout, stderr);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** When the process ended, in epoch milliseconds as this machine's clock says it; -1 while it runs. */
    public long exitedAtMillis() {
        return exitedAtMillis;
    }

    public String stdout() {
        return stdout.text();
    }

    public String stderr() {
        return stderr.text();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for {@code literal} on stdout; fails (with all output) if it does not come in time. */
    /**
     * Waits until a launch-time agent's instrumentation is active: it installs in the background by
     * default, and a test of what the woven code sees begins its scenario after that (what was under
     * way before is adopted, see InstallModeIT). At once when the JVM runs without the agent.
     */
    public void awaitInstrumentation() {
        if (command.stream().anyMatch(w -> w.startsWith("-javaagent:"))) {
            awaitStderr("instrumentation active", Deadlines.START);
        }
    }

    public void awaitStdout(String literal, Duration timeout) {
        awaitLiteral(stdout, literal, timeout);
    }

    /** Waits for {@code literal} on stderr; fails (with all output) if it does not come in time. */
    public void awaitStderr(String literal, Duration timeout) {
        awaitLiteral(stderr, literal, timeout);
    }

    /** Waits until {@code literal} has appeared {@code times} times on stderr; fails if it does not in time. */
    public void awaitStderr(String literal, int times, Duration timeout) {
        Boolean found = await(stderr, t -> t.split(Pattern.quote(literal), -1).length - 1 >= times ? Boolean.TRUE : null, timeout);
        if (found == null) {
            throw failure("not " + times + " times '" + literal + "' on stderr within " + timeout.toMillis() + " ms");
        }
    }

    /** Waits for a match of {@code regex} on stderr and returns it; fails if none comes in time. */
    public Matcher awaitStderr(Pattern regex, Duration timeout) {
        return awaitPattern(stderr, regex, timeout);
    }

    public Matcher awaitStdout(Pattern regex, Duration timeout) {
        return awaitPattern(stdout, regex, timeout);
    }

    /**
     * Watches stderr for {@code during}, a wait the scenario itself calls for (e.g. 3x the timeout of
     * a JVM that must stay silent), and fails at once, with all output, if {@code regex} shows up or
     * the child's stderr ends. Returns normally after {@code during} otherwise.
     */
    public void assertStderrStaysFreeOf(Pattern regex, Duration during) {
        Matcher m = await(stderr, t -> {
            Matcher candidate = regex.matcher(t);
            return candidate.find() ? candidate : null;
        }, during);
        if (m != null) {
            String text = stderr();
            int from = text.lastIndexOf('\n', m.start()) + 1;
            int to = text.indexOf('\n', m.end());
            throw failure("/" + regex.pattern() + "/ on stderr after " + elapsedMillis() + " ms, in the line '"
                    + text.substring(from, to < 0 ? text.length() : to) + "'");
        }
        if (stderr.isClosed()) {
            throw failure("stderr ended while it was watched for /" + regex.pattern() + "/");
        }
    }

    private void awaitLiteral(OutputBuffer buffer, String literal, Duration timeout) {
        Boolean found = await(buffer, t -> t.contains(literal) ? Boolean.TRUE : null, timeout);
        if (found == null) {
            throw failure("no '" + literal + "' on " + buffer.name() + " within " + timeout.toMillis() + " ms"
                    + (buffer.isClosed() ? " (the stream ended)" : ""));
        }
    }

    private Matcher awaitPattern(OutputBuffer buffer, Pattern regex, Duration timeout) {
        Matcher m = await(buffer, t -> {
            Matcher candidate = regex.matcher(t);
            return candidate.find() ? candidate : null;
        }, timeout);
        if (m == null) {
            throw failure("no match of /" + regex.pattern() + "/ on " + buffer.name() + " within "
                    + timeout.toMillis() + " ms" + (buffer.isClosed() ? " (the stream ended)" : ""));
        }
        return m;
    }

    private static <T> T await(OutputBuffer buffer, java.util.function.Function<String, T> probe, Duration timeout) {
        try {
            return buffer.await(probe, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Writes a line to the child's stdin. */
    public void sendLine(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(CHARSET));
            in.flush();
        } catch (IOException e) {
            throw failure("cannot write to the child's stdin: " + e);
        }
    }

    /**
     * Waits for the child to end on its own and for both streams to be read to the end; on timeout
     * kills it and fails with everything it printed.
     *
     * @return the exit status
     */
    public int awaitExit(Duration timeout) {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (exited) {
                // the pipes may still hold the last lines; a grandchild could keep them open, hence a bound
                stdout.awaitClosed(Duration.ofSeconds(10));
                stderr.awaitClosed(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy();
            throw failure("interrupted while waiting for the exit");
        }
        if (!exited) {
            destroy();
            throw failure("did not exit within " + timeout.toMillis() + " ms; killed");
        }
        return process.exitValue();
    }

    /** Milliseconds since this process was started. */
    public long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** An {@link AssertionError} naming the command and carrying all output so far. */
    public AssertionError failure(String message) {
        return new AssertionError(message + "\n" + describe());
    }

    public String describe() {
        String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        return describe(command, status + ", pid " + process.pid() + ", " + elapsedMillis() + " ms after start",
                stdout(), stderr());
    }

    static String describe(List<String> command, String status, String out, String err) {
        return "---- command: " + String.join(" ", command) + "\n"
                + "---- " + status + "\n"
                + "---- stdout:\n" + out + (out.endsWith("\n") || out.isEmpty() ? "" : "\n")
                + "---- stderr:\n" + err + (err.endsWith("\n") || err.isEmpty() ? "" : "\n")
                + "---- end of output";
    }

    private void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // a JVM run under bash, its sleep
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            stdout.awaitClosed(Duration.ofSeconds(5));
            stderr.awaitClosed(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        destroy(); // always: a test that failed half-way must not leave a JVM behind
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone
        }
    }
}
