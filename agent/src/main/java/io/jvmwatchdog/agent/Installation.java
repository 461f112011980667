package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.JdkInternals;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.Option;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.jmx.JmxRegistration;
import io.jvmwatchdog.core.jmx.NotifyingReporter;
import io.jvmwatchdog.core.jmx.StatusText;
import io.jvmwatchdog.core.jmx.WatchdogJmx;
import io.jvmwatchdog.core.jvm.AgentPauses;
import io.jvmwatchdog.core.jvm.BusyThreads;
import io.jvmwatchdog.core.jvm.DeadlockFinder;
import io.jvmwatchdog.core.jvm.GcPauses;
import io.jvmwatchdog.core.jvm.JvmPauses;
import io.jvmwatchdog.core.jvm.JvmThreadSampler;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import io.jvmwatchdog.core.report.DeferredReporter;
import io.jvmwatchdog.core.report.DumpFiles;
import io.jvmwatchdog.core.report.EventLog;
import io.jvmwatchdog.core.report.LogReporter;
import io.jvmwatchdog.core.report.Reporter;
import io.jvmwatchdog.core.watch.Interrupter;
import io.jvmwatchdog.core.watch.Terminator;
import io.jvmwatchdog.core.watch.ThreadBackend;
import io.jvmwatchdog.core.watch.Ticker;
import io.jvmwatchdog.core.watch.Watchdog;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The agent once installed in this JVM: the instrumentation and the watchdog it feeds. Loaded only
 * after the boot runtime is defined in the bootstrap loader (it links against {@link Probes}).
 */
final class Installation {

    private final Watchdog watchdog;
    private final Reporter reporter;

    private Installation(Watchdog watchdog, Reporter reporter) {
        this.watchdog = watchdog;
        this.reporter = reporter;
    }

    /** The JVM began to shut down at {@code startedAt} ({@link System#nanoTime()}). */
    void shutdownStarted(long startedAt) {
        watchdog.shutdownStarted(startedAt);
    }

    /** The options in force now (a JMX client or an earlier attach may have changed some). */
    Options options() {
        return watchdog.options();
    }

    /**
     * Makes the watchdog that the instrumentation ({@code prepared}, in place already) feeds, and
     * starts it.
     *
     * @param besideMain whether {@code main} runs while this does (a launch installing beside it):
     *     the launcher registered the shutdown hook already (a shutdown may begin before this ends,
     *     see {@link #shutdownStarted}), and work may already be under way, to adopt
     * @param lines the instrumentation's one-line messages, kept until the reporter is made here
     */
    static Installation install(Instrumentation inst, ConfigSources.Resolved resolved, EventLog events,
                                DumpFiles dumpFiles, boolean attached, boolean besideMain,
                                EarlyInstrumentation prepared, EarlyLines lines) {
        long t0 = System.nanoTime();
        Options options = resolved.options();
        boolean codeRanBefore = attached || besideMain;
        // Work under way in old code: any thread's where the weaving began after the application did
        // (attach, install=background); else only the threads alive before the weaver (an agent
        // loaded before this one may have started some): main and all the application's came after.
        long[] threadsBeforeWeaving = prepared.threadsBeforeWeaving();
        // From now on every loading class is walked for servlets (the start, where the walk waited
        // for the servlet API, is over); the look at the end of the install finds any left.
        prepared.leanWeaver().armHierarchies();
        // Logging first, here: set up later, inside a transformer (the weaver says what it weaves),
        // it would load classes no transformer sees (LeanWeaver#weaveLoaded).
        AgentLogging.logger();
        // What the weaver wove before logging existed (from here on it says so itself).
        for (String name : prepared.leanWeaver().takeWovenUnsaid()) {
            AgentLogging.logger().debug("JVM Watchdog: instrumented {}", name);
        }
        Set<String> transformed = prepared.woven();
        long activeAtMillis = prepared.activeAtMillis();
        JdkInternals.open(); // only now, see BootRuntime: it loads ThreadPoolExecutor, to be woven as it loads
        long t1 = System.nanoTime();
        WatchdogJmx bean = new WatchdogJmx();
        AgentPauses pauses = AgentPauses.system();
        Watchdog[] installed = new Watchdog[1]; // the dumper asks the options in force at each dump
        ThreadDumper dumper = ThreadDumper.platform(() -> installed[0].options().dumpSynchronizers(), pauses);
        Reporter reporter = new NotifyingReporter(new DeferredReporter(() -> new LogReporter(AgentLogging.logger(),
                AgentLogging::bulkWriter, events, dumpFiles, dumper, Clock.systemUTC())), bean, Clock.systemUTC());
        lines.forwardTo(reporter::info);
        Watchdog watchdog = new Watchdog(options, Ticker.system(), new JvmThreadSampler(), DeadlockFinder.platform(pauses),
                new GcPauses(), reporter, Terminator.runtimeHalt(), new ThreadBackend(), Interrupter.platform(), pauses);
        installed[0] = watchdog;
        watchdog.showBlindSpots(BusyThreads.platform(pauses));
        bean.watch(watchdog);
        ThreadStates.setPurgeListener(watchdog::wakeToReleaseEnded);
        // What the CLI's status reads over the attach channel: no port, no management agent.
        CountDownLatch firstPass = new CountDownLatch(1); // the MXBean's registration waits for it, bounded
        watchdog.onPass(() -> {
            JdkInternals.publishAgentProperty(StatusText.PROPERTY, StatusText.of(watchdog, System.currentTimeMillis()));
            firstPass.countDown();
        });
        long t2 = System.nanoTime();
        // After weaving, so that a task which began before the advice was in place, in the old code,
        // is found too; a thread whose task the woven code saw begin is not adopted twice. Where the
        // weaver was in place before main, only the few threads older than it are read: the stack
        // walk is a safepoint per 16 threads, and a settled start may have thousands.
        Adoption.Count adopted = new Adoption.Count();
        String stacksRead = "no stacks read for adoption"; // for the debug line: no thread predates the weaver
        if (threadsBeforeWeaving == null || threadsBeforeWeaving.length > 0) {
            long from = ManagementFactory.getRuntimeMXBean().getUptime();
            Adoption adoption = new Adoption(EarlyInstrumentation.units(options, Set.of()), BlockingProbes.TABLE, transformed);
            adopted.add(adoption.adoptPlatformThreads(dumper, threadsBeforeWeaving));
            if (threadsBeforeWeaving == null) {
                adopted.add(adoption.adoptVirtualThreads(inst));
            }
            adoption.settle(adopted);
            stacksRead = "stacks read for adoption (" + (threadsBeforeWeaving == null ? "every thread"
                    : threadsBeforeWeaving.length + " thread(s) older than the weaver") + ") from " + from + " to "
                    + ManagementFactory.getRuntimeMXBean().getUptime() + " ms after JVM start";
        }
        String adoptionWindow = stacksRead;
        if (options.ready().isPresent()) {
            Probes.setReadyListener(watchdog::signalReady);
            watchdog.awaitReadiness();
            if (Probes.isReadySignalled()) {
                watchdog.signalReady();
            }
        }
        try {
            // Always registered (cheap), so that shutdown-timeout set later by attach applies too.
            if (!besideMain) {
                Runtime.getRuntime().addShutdownHook(AgentThreads.newThread("watchdog-shutdown-hook", watchdog::shutdownStarted));
            }
        } catch (IllegalStateException shuttingDownAlready) {
            // nothing to watch any more
        }
        // The rest (the agent's logging, the loop's start, the probe check) runs on an agent thread:
        // the application's main need not wait for it.
        AgentThreads.newThread("watchdog-start", () -> {
            // The stall check's beans, off the path to main: read from the loop's first pass on.
            exportSafepointCounters(inst);
            JvmPauses jvmPauses = JvmPauses.platform();
            watchdog.watchStalls(jvmPauses);
            long sinceStart = activeAtMillis - ManagementFactory.getRuntimeMXBean().getStartTime();
            reporter.info("JVM Watchdog " + (attached ? "attached" : "loaded") + ": instrumentation active "
                    + sinceStart + " ms after JVM start; " + adopted);
            resolved.warnings().forEach(w -> AgentLogging.logger().warn(w));
            reporter.info("JVM Watchdog configuration: " + resolved.describe());
            if (jvmPauses.debuggerMaySuspend() && options.stallThresholdPercent() > 0) {
                reporter.info("JVM Watchdog: a JDWP agent is loaded: a debugger that suspends every thread looks like CPU"
                        + " starvation, so a late watchdog is not reported as a JVM stall (pauses still are)");
            }
            // Where an install's time goes, for whoever measures startup (-Dwatchdog.debug=true).
            // ... and when the stacks were read for adoption (its only stop of the world: a safepoint per 16 threads).
            AgentLogging.logger().debug("JVM Watchdog install: watchdog {} ms, instrumentation {} ms; {}",
                    (t2 - t1) / 1_000_000, (t1 - t0) / 1_000_000, adoptionWindow);
            if (options.ready().isEmpty()) {
                // Threads have run since main (or long before an attach): the first look is due now.
                if (codeRanBefore) {
                    watchdog.startWithPassNow();
                } else {
                    watchdog.start();
                }
            }
            JmxRegistration.registerLater(bean, firstPass);
            AttachResult.loaded(options.toString());
            prepared.leanWeaver().weaveLoaded(); // what loaded where no transformer ran or the walk waited, before the check looks
            ProbeCheck.run(transformed);
        }).start();
        return new Installation(watchdog, reporter);
    }

    /**
     * A later load of the agent: the options it named, on top of those in force ({@link
     * ConfigSources#onTopOf}); the rest keep their values, whatever an attach without them would
     * default to. What the instrumentation was built from (entry points, readiness method) and the
     * files opened at install cannot change without a restart. The log says what changed.
     */
    String reconfigure(ConfigSources.Resolved named) {
        Options before = watchdog.options();
        Options after = named.options();
        Map<String, String> was = before.describe();
        Map<String, String> now = after.describe();
        List<String> fixedKeys = new ArrayList<>();
        List<String> fixedValues = new ArrayList<>();
        boolean fixedChanged = false;
        for (Option<?> option : Option.ALL) {
            if (option.fixedAtInstall()) {
                fixedKeys.add(option.key() + "=");
                fixedValues.add(option.key() + "=" + was.get(option.key()));
                fixedChanged |= !was.get(option.key()).equals(now.get(option.key()));
            }
        }
        if (fixedChanged) {
            return "refused: the running watchdog keeps " + String.join(", ", fixedKeys) + " from its first load ("
                    + String.join(", ", fixedValues) + "); restart the JVM to change them";
        }
        List<String> changes = new ArrayList<>();
        now.forEach((key, value) -> {
            if (!value.equals(was.get(key))) {
                changes.add(key + " " + was.get(key) + " -> " + value);
            }
        });
        String change = changes.isEmpty() ? "nothing changed" : String.join(", ", changes);
        watchdog.reconfigure(after);
        reporter.info("JVM Watchdog reconfigured by attach: " + change + "; every option it did not name keeps its value ("
                + after + ")");
        AttachResult.loaded(after.toString());
        return "reconfigured: " + change + "; now " + after;
    }

    /**
     * HotSpot counts every safepoint's time (collections are only some of them) in {@code
     * sun.management}: exported to the agent alone, so the stall check reads it. Refused or absent,
     * the collectors' times stand in.
     */
    private static void exportSafepointCounters(Instrumentation inst) {
        try {
            inst.redefineModule(ManagementFactory.class.getModule(), Set.of(),
                    Map.of("sun.management", Set.of(Installation.class.getModule())), Map.of(), Set.of(), Map.of());
        } catch (RuntimeException e) {
            // the collectors' times stand in
        }
    }
}
