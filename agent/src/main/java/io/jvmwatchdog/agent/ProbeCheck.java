package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.model.WaitKind;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Checks, at install, that each blocking probe works on this JDK: the cheap ones are made to fire on
 * the agent's own thread (park, sleep, lock, file read); the rest are checked to be woven into
 * their class, which declares a method the row names. What cannot fire (Thread.sleep is native on
 * Java 17) is covered by ThreadMXBean's counters, and the result says so. It opens no
 * socket and touches no file but the JDK's own {@code release} file. (It once opened a Selector: the
 * JDK keeps one end of the selector's wake-up socket pair open after close, so a watched JVM held a
 * socket the application never made.)
 *
 * <p>The result is one DEBUG line. A probe for an uninterruptible wait (socket, file, DNS, lock,
 * process) that is not in place gets a WARN line as well, whatever the log level: without it such a
 * wait looks, through ThreadMXBean alone, like a healthy park or a running thread, and a hang in it can
 * go unreported. {@link #findings} and {@link #warning} decide that from facts alone, so tests need
 * no weaving.
 */
final class ProbeCheck {

    private ProbeCheck() {
    }

    /** What the check found for one row, as the DEBUG line says it. */
    enum Outcome {
        ABSENT("absent on this JDK", null),
        NO_METHOD("no method of the row on this JDK", "no method of the row on this JDK"),
        FIRED("fired", null),
        WOVEN("woven", null),
        WOVEN_DID_NOT_FIRE("woven, did not fire (ThreadMXBean counters cover it)", "woven but did not fire"),
        NATIVE("not instrumentable here (native method); ThreadMXBean counters cover it", "not instrumentable (native method)"),
        NOT_WOVEN("NOT woven (ThreadMXBean counters cover it)", "not woven");

        private final String text;
        private final String problem;

        Outcome(String text, String problem) {
            this.text = text;
            this.problem = problem;
        }

        /** Whether the probe is not in place although its class is there: null when it is fine. */
        String problem() {
            return problem;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Whether the running JDK has what a row names. */
    enum Presence { CLASS_ABSENT, NO_METHOD, PRESENT }

    /** One row and what the check found for it. */
    record Finding(BlockingProbes.Probe probe, Outcome outcome) {

        /** {@code kind class}, as the DEBUG line and the fired probes are keyed. */
        String key() {
            return ProbeCheck.key(probe);
        }

        WaitKind kind() {
            return WaitKind.of(probe.kind());
        }

        /**
         * The verdict: a probe for an uninterruptible wait that is not in place. Interruptible and
         * idle waits are healthy outside a budgeted unit whether or not the probe sees them, and a
         * class this JDK does not have waits for nothing.
         */
        boolean warrantsWarning() {
            return outcome.problem() != null && !kind().interruptible();
        }
    }

    /**
     * Runs the check, logs the DEBUG line and, when a probe that matters is missing, the WARN line
     * (at any level: without it a lock wait would silently look healthy). The probes are made to fire
     * only with debug on: the weaving check alone costs nothing the application sees, and firing them
     * is a self-test for whoever investigates.
     */
    static List<Finding> run(Set<String> transformed) {
        Map<String, Boolean> fired = AgentLogging.logger().isDebugEnabled() ? fireCheapProbes() : Map.of();
        List<Finding> findings = findings(BlockingProbes.TABLE, ProbeCheck::presenceOnThisJdk, transformed, fired);
        AgentLogging.logger().debug("JVM Watchdog probes: {}", debugLine(findings));
        warning(findings).ifPresent(w -> AgentLogging.logger().warn(w));
        return findings;
    }

    /**
     * What each row's probe is on this JVM, from the facts alone.
     *
     * @param presence what the JDK has of a row; asked before {@code transformed} is read, because
     *     asking loads the class, and loading it weaves it
     * @param transformed the names of the classes the weaver wove
     * @param fired by {@link #key}: true when the probe saw its call, false when a call that it
     *     should have seen went unseen; rows not tried, or tried without a conclusion, are absent
     */
    static List<Finding> findings(List<BlockingProbes.Probe> table, Function<BlockingProbes.Probe, Presence> presence,
                                  Set<String> transformed, Map<String, Boolean> fired) {
        List<Finding> findings = new ArrayList<>();
        for (BlockingProbes.Probe probe : table) {
            findings.add(new Finding(probe, outcome(presence.apply(probe), transformed.contains(probe.typeName()),
                    fired.get(key(probe)))));
        }
        return findings;
    }

    private static Outcome outcome(Presence presence, boolean woven, Boolean fired) {
        if (presence == Presence.CLASS_ABSENT) {
            return Outcome.ABSENT;
        }
        if (Boolean.TRUE.equals(fired)) {
            return Outcome.FIRED;
        }
        if (presence == Presence.NO_METHOD) {
            return Outcome.NO_METHOD;
        }
        if (Boolean.FALSE.equals(fired)) {
            return woven ? Outcome.WOVEN_DID_NOT_FIRE : Outcome.NATIVE;
        }
        return woven ? Outcome.WOVEN : Outcome.NOT_WOVEN;
    }

    /** Every row: {@code kind class: outcome}, joined by {@code "; "}. */
    static String debugLine(List<Finding> findings) {
        List<String> parts = new ArrayList<>();
        findings.forEach(f -> parts.add(f.key() + ": " + f.outcome()));
        return String.join("; ", parts);
    }

    /** The WARN line for the rows that warrant one, if any. */
    static Optional<String> warning(List<Finding> findings) {
        List<String> rows = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (f.warrantsWarning()) {
                rows.add(f.key() + " (" + f.outcome().problem() + ")");
                kinds.add(f.kind().label());
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("JVM Watchdog: probes for uninterruptible waits are not in place on this JVM: "
                + String.join(", ", rows) + ". Waits of these kinds (" + String.join(", ", kinds) + ") are seen only"
                + " through ThreadMXBean's thread state, which cannot tell them from healthy waits: a thread hung in"
                + " one may be judged healthy and go unreported.");
    }

    static String key(BlockingProbes.Probe probe) {
        return WaitKind.of(probe.kind()).name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + probe.typeName();
    }

    /** Loading (not initialising) the class weaves it, before the caller reads what was transformed. */
    private static Presence presenceOnThisJdk(BlockingProbes.Probe probe) {
        Class<?> type;
        try {
            type = Class.forName(probe.typeName(), false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return Presence.CLASS_ABSENT;
        }
        try {
            return probe.methodsOf(type).isEmpty() ? Presence.NO_METHOD : Presence.PRESENT;
        } catch (RuntimeException | LinkageError e) {
            return Presence.PRESENT; // its methods could not be read here; whether it is woven still says something
        }
    }

    /**
     * Runs each cheap blocking call on this thread and notes whether the probe of that kind in that
     * class saw it, keyed like the result ({@code kind class}). A call that could not be made as the
     * probe expects it (the file is missing, the lock was never contended) proves nothing either way
     * and is left out.
     */
    private static Map<String, Boolean> fireCheapProbes() {
        Map<String, Boolean> fired = new LinkedHashMap<>();
        Probes.recordBlockingCallsOfThisThread();
        try {
            fireEach(fired);
        } finally {
            Probes.stopRecording();
        }
        return fired;
    }

    private static void fireEach(Map<String, Boolean> fired) {
        fire(fired, "park java.util.concurrent.locks.LockSupport", Blocking.PARK, () -> {
            LockSupport.parkNanos(1_000);
            return true;
        });
        fire(fired, "sleep java.lang.Thread", Blocking.SLEEP, () -> {
            Thread.sleep(1);
            return true;
        });
        fire(fired, "lock java.util.concurrent.locks.AbstractQueuedSynchronizer", Blocking.LOCK, ProbeCheck::waitForAHeldLock);
        fire(fired, "file-io java.io.FileInputStream", Blocking.FILE_IO, () -> {
            InputStream in;
            try {
                in = new FileInputStream(Path.of(System.getProperty("java.home"), "release").toFile());
            } catch (FileNotFoundException noReleaseFile) {
                return false; // an image without it: nothing to read, nothing proven
            }
            try (in) {
                in.read();
            }
            return true;
        });
    }

    /**
     * Takes a lock that another agent thread holds until this one queues for it: the probe sits on
     * AQS's slow path, which an uncontended acquisition never enters. Bounded: if the holder cannot
     * run, or gives up before this thread queues, the lock is taken uncontended and the call proves
     * nothing.
     *
     * @return whether this thread was seen queued for the lock, so the probe had to see the wait
     */
    private static boolean waitForAHeldLock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Thread me = Thread.currentThread();
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean sawMeQueued = new AtomicBoolean();
        Thread holder = AgentThreads.newThread("watchdog-selftest-lock", () -> {
            lock.lock();
            try {
                held.countDown();
                long start = System.nanoTime();
                while (!lock.hasQueuedThread(me) && System.nanoTime() - start < HOLD_BOUND_NANOS) {
                    LockSupport.parkNanos(100_000);
                }
                sawMeQueued.set(lock.hasQueuedThread(me)); // before unlock: this thread's lock() then sees it
            } finally {
                lock.unlock();
            }
        });
        holder.start();
        if (held.await(HOLD_BOUND_NANOS, TimeUnit.NANOSECONDS)) {
            lock.lock();
            lock.unlock();
        }
        // No join: the holder ends once it has let go, and a join would be the last blocking call.
        return sawMeQueued.get();
    }

    private static final long HOLD_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private interface Call {
        /** @return whether the call was made as the probe expects it, so that its silence would mean something */
        boolean run() throws Exception;
    }

    /**
     * Notes under {@code key}: true when the probe recorded a call of its kind, false when a
     * conclusive call went unrecorded, nothing when the call failed or proved nothing.
     */
    private static void fire(Map<String, Boolean> fired, String key, int kind, Call call) {
        Probes.takeRecordedBlockingKind();
        boolean conclusive;
        try {
            conclusive = call.run();
        } catch (Exception | LinkageError e) {
            conclusive = false;
        }
        boolean recorded = Probes.takeRecordedBlockingKind() == kind;
        if (recorded || conclusive) {
            fired.put(key, recorded);
        }
    }
}
