package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.base.AgentDebug;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.InstallMode;
import io.jvmwatchdog.core.config.InvalidOptionException;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.report.DumpFiles;
import io.jvmwatchdog.core.report.EventLog;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Parses the options, then installs the agent once per JVM, or reconfigures the installed one.
 *
 * <p>Failure policy. A bad option given with {@code -javaagent} stops the JVM before {@code main} with
 * one line on stderr and status {@link #BAD_OPTION_EXIT_STATUS}, like a wrong {@code -XX} flag: a
 * service that silently runs unwatched is what this agent exists to prevent. The same mistake through
 * attach leaves the target as it was (the attaching command reports it). An internal failure never
 * stops the application: one line, and it runs unwatched. Nothing here lets an exception escape into
 * the JVM's agent loader, which would print a stack trace and "FATAL ERROR".
 *
 * <p>Startup cost ({@link io.jvmwatchdog.core.config.InstallMode}). By default ({@code
 * install=beside-main}) nothing the application does runs unwoven, yet {@code main} waits only for
 * the option checks, the boot runtime's definition and the weaver's registration ({@link
 * LeanWeaver}, ASM alone, which also weaves the JDK classes already loaded); the watchdog itself
 * (logging, its model, its loop) is made on a daemon thread once the application's start has settled
 * ({@link SettledStart}: at the latest when its first pass is due), and its first pass runs at once. With {@code
 * install=background} even the weaving starts beside {@code main}: work under way when it is in
 * place is adopted from one look at each stack (see {@link Adoption}): an executor task, a request,
 * an {@code entry=} method, a blocking call; what the other rules would have seen begin in the
 * window (a queue job, another pool's task, a starved pool) is seen from its next transition. With
 * {@code install=after-start} the install waits for the start to settle first, so the start pays
 * neither a transformer nor any of the agent's work, and work under way then is adopted as with
 * {@code background}. With {@code install=before-main} the whole install runs before {@code main}, the watchdog's loop
 * included; so it does with {@code ready=}, whatever the option says: a readiness signal given
 * before the watchdog exists would be lost, and the startup timeout
 * would then fire for nothing.
 */
final class Launcher {

    static final int BAD_OPTION_EXIT_STATUS = 2;

    private static Installation installed; // guarded by Launcher.class
    /** The launch-time install still running in the background, or null. */
    private static Thread pendingInstall; // guarded by Launcher.class

    private Launcher() {
    }

    static synchronized void launch(String agentArgs, Instrumentation inst, boolean attached) {
        try {
            if (pendingInstall != null) {
                SettledStart.hurry(); // an attach reconfigures the watchdog: it is needed now
            }
            if (!awaitPendingInstall()) {
                AttachResult.set("failed: the agent loaded at launch is still installing; try again");
                return;
            }
            ConfigSources.Resolved resolved;
            try {
                // A later load names changes to the running watchdog; the first, its whole configuration.
                resolved = installed != null ? ConfigSources.onTopOf(installed.options(), agentArgs)
                        : ConfigSources.resolve(agentArgs);
            } catch (InvalidOptionException e) {
                rejectOptions(e.getMessage(), attached);
                return;
            }
            if (installed != null) {
                AttachResult.set(installed.reconfigure(resolved));
                return;
            }
            Options options = resolved.options();
            EventLog events = null;
            if (options.events().isPresent()) {
                try {
                    events = EventLog.open(options.events().get());
                } catch (IOException | RuntimeException e) {
                    rejectOptions("watchdog: cannot open '" + options.events().get() + "' for 'events' ("
                            + reason(e) + "; expected a writable file path)", attached);
                    return;
                }
            }
            DumpFiles dumpFiles = null;
            if (options.dumpDir().isPresent()) {
                try {
                    dumpFiles = DumpFiles.in(options.dumpDir().get());
                } catch (IOException | RuntimeException e) {
                    rejectOptions("watchdog: cannot use '" + options.dumpDir().get() + "' for 'dump-dir' ("
                            + reason(e) + "; expected an existing writable directory)", attached);
                    return;
                }
            }
            EarlyLines lines = new EarlyLines();
            if (attached || options.ready().isPresent() || options.install() == InstallMode.BEFORE_MAIN) {
                BootRuntime.defineOnce(inst);
                installed = Installation.install(inst, resolved, events, dumpFiles, attached, false,
                        EarlyInstrumentation.prepare(inst, options, lines, attached), lines);
                AttachResult.set("installed: " + options);
                return;
            }
            // A launch: main starts now, and the watchdog is made beside it. Before main, by default,
            // the weaver is in place; with install=background nothing waits, and adoption covers the
            // window; with install=after-start the window is the start, and nothing runs in it.
            EarlyInstrumentation early = null;
            if (options.install() == InstallMode.BESIDE_MAIN) {
                BootRuntime.defineOnce(inst);
                early = EarlyInstrumentation.prepare(inst, options, lines, false);
            }
            pendingInstall = AgentThreads.newThread("watchdog-install",
                    new BackgroundInstall(inst, resolved, events, dumpFiles, early, lines));
            Runtime.getRuntime().addShutdownHook(AgentThreads.newThread("watchdog-shutdown-hook",
                    new ShutdownHook(options.shutdownTimeout())));
            AttachResult.installing(true);
            pendingInstall.start();
        } catch (Throwable t) {
            internalError(t, attached);
        }
    }

    /**
     * At launch, one line on stderr. Through attach, the line goes back to the attaching command
     * only (see {@link #rejectOptions}).
     */
    private static void internalError(Throwable t, boolean attached) {
        String message = "watchdog: internal error, the agent did not start and the application runs unwatched: "
                + describe(t);
        AttachResult.set("failed: " + message);
        if (attached) {
            return;
        }
        System.err.println(message);
        if (AgentDebug.requested()) {
            t.printStackTrace();
        }
    }

    /*
     * The two threads a launch makes before main run these classes, not lambdas: each new lambda
     * shape costs the JVM a class spun at run time, a millisecond or more while it is cold.
     */

    /** @param early what was put in place before main, or null (install=background, after-start: nothing yet) */
    private record BackgroundInstall(Instrumentation inst, ConfigSources.Resolved resolved, EventLog events,
                                     DumpFiles dumpFiles, EarlyInstrumentation early, EarlyLines lines) implements Runnable {
        @Override
        public void run() {
            installInBackground(inst, resolved, events, dumpFiles, early, lines);
        }
    }

    private record ShutdownHook(Duration shutdownTimeout) implements Runnable {
        @Override
        public void run() {
            shutdownStarted(System.nanoTime(), shutdownTimeout);
        }
    }

    /** A start the weaver watches ({@code install=beside-main}): it counts the loads, and makes its look when due. */
    private record WovenStart(LeanWeaver weaver) implements SettledStart.Start {
        @Override
        public int classLoads() {
            return weaver.classLoads();
        }

        @Override
        public boolean purgeDue() {
            return ThreadStates.purgeDue();
        }

        @Override
        public void eachTick() {
            weaver.weaveLoadedIfDue();
        }
    }

    /**
     * A start nothing of the agent's watches yet ({@code install=after-start}): the JVM's list of
     * loaded classes, counted each tick, every change counted (classes that unload are activity
     * too, not quiet); no thread state exists yet.
     */
    private static final class BareStart implements SettledStart.Start {
        private final Instrumentation inst;
        private int last = -1;
        private int changes;

        BareStart(Instrumentation inst) {
            this.inst = inst;
        }

        @Override
        public int classLoads() {
            int now = inst.getAllLoadedClasses().length;
            changes += last < 0 ? 0 : Math.abs(now - last);
            last = now;
            return changes;
        }

        @Override
        public boolean purgeDue() {
            return false;
        }

        @Override
        public void eachTick() {
        }
    }

    /** @param early what was put in place before main, or null (install=background, after-start: nothing yet) */
    private static void installInBackground(Instrumentation inst, ConfigSources.Resolved resolved, EventLog events,
                                            DumpFiles dumpFiles, EarlyInstrumentation early, EarlyLines lines) {
        Installation installation = null;
        EarlyInstrumentation prepared = early;
        try {
            long period = resolved.options().period().toNanos();
            SettledStart.Reason madeNow = null;
            if (prepared == null && resolved.options().install() == InstallMode.AFTER_START) {
                // Nothing yet, not even a transformer: the JVM counts the loads (one look a tick).
                madeNow = SettledStart.await(new BareStart(inst), period);
            }
            // With install=background, here too, off the path to main.
            BootRuntime.defineOnce(inst);
            if (prepared == null) {
                prepared = EarlyInstrumentation.prepare(inst, resolved.options(), lines, true);
            } else {
                madeNow = SettledStart.await(new WovenStart(prepared.leanWeaver()), period);
            }
            installation = Installation.install(inst, resolved, events, dumpFiles, false, true, prepared, lines);
            if (madeNow != null && AgentLogging.logger().isDebugEnabled()) {
                AgentLogging.logger().debug("JVM Watchdog made {} ms after JVM start: {}",
                        ManagementFactory.getRuntimeMXBean().getUptime(), madeNow);
            }
        } catch (Throwable t) {
            internalError(t, false);
        } finally {
            synchronized (Launcher.class) {
                installed = installation;
                pendingInstall = null;
                if (installation == null) {
                    AttachResult.installing(false); // failed; once installed, the loaded property says more
                }
                Launcher.class.notifyAll();
            }
        }
    }

    /**
     * The shutdown hook of a background launch, registered before {@code main}: a program may begin
     * to shut down before the install ends (a short one, or one that fails at once), and a hook that
     * then never returns must still be caught. With a {@code shutdown-timeout}, it waits for the
     * install, at most that long, and the timeout counts from when the shutdown began; without one
     * it never delays the exit.
     */
    private static void shutdownStarted(long startedAt, Duration shutdownTimeout) {
        if (!shutdownTimeout.isZero()) {
            SettledStart.hurry(); // the shutdown is to be watched: a watchdog still waiting is needed now
        }
        Installation installation;
        synchronized (Launcher.class) {
            long deadline = startedAt + shutdownTimeout.toNanos();
            try {
                for (long left = deadline - System.nanoTime(); pendingInstall != null && !shutdownTimeout.isZero() && left > 0;
                     left = deadline - System.nanoTime()) {
                    Launcher.class.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            installation = installed;
        }
        if (installation != null) {
            installation.shutdownStarted(startedAt);
        }
    }

    /**
     * A later load of the agent (attach) waits, bounded, for the launch-time install it would
     * reconfigure. Called with the lock held; waiting releases it, so the install can finish.
     *
     * @return false if that install is still running
     */
    private static boolean awaitPendingInstall() throws InterruptedException {
        long start = System.nanoTime();
        while (pendingInstall != null) {
            long left = PENDING_INSTALL_WAIT_NANOS - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            Launcher.class.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }

    private static final long PENDING_INSTALL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * At launch: the line on stderr, then exit status 2. Through attach: the line goes back to the
     * attaching command, which prints it, and never to the target's own stderr. One attaches when a
     * JVM seems stuck, which is when its stderr may be a pipe nobody reads: a write there from
     * {@code agentmain} would block the target's attach listener with it.
     */
    private static void rejectOptions(String message, boolean attached) {
        if (attached) {
            AttachResult.set("rejected: " + message);
            return;
        }
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(BAD_OPTION_EXIT_STATUS);
    }

    /** The operating system's reason, without the path it repeats: "No such file or directory". */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int open = m.lastIndexOf(" (");
        return open >= 0 && m.endsWith(")") ? m.substring(open + 2, m.length() - 1) : m;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }
}
