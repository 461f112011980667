package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.model.WaitKind;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Proves, at install, that each blocking probe works on this JDK: the cheap ones are made to fire on
 * the agent's own thread (park, sleep, wait, lock, file read); the rest are checked to be woven
 * into their class. What cannot fire (Thread.sleep and Object.wait are native on Java 17) is covered
 * by ThreadMXBean's counters, and the result says so. It opens no socket and touches no file but the
 * JDK's own {@code release} file. (It once opened a Selector: the JDK keeps one end of the selector's
 * wake-up socket pair open after close, so a watched JVM held a socket the application never made.)
 */
final class ProbeCheck {

    private ProbeCheck() {
    }

    /** @return the status of each probe, by row of {@link BlockingProbes#TABLE} ({@code kind class}) */
    static Map<String, String> run(Set<String> transformed) {
        Map<String, String> result = new LinkedHashMap<>();
        Map<String, Boolean> fired = fireCheapProbes();
        for (BlockingProbes.Probe probe : BlockingProbes.TABLE) {
            String key = WaitKind.of(probe.kind()).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " " + probe.typeName();
            result.put(key, status(probe, fired.get(key), transformed));
        }
        List<String> parts = new ArrayList<>();
        result.forEach((k, v) -> parts.add(k + ": " + v));
        AgentLogging.logger().debug("JVM Watchdog probes: {}", String.join("; ", parts));
        return result;
    }

    private static String status(BlockingProbes.Probe probe, Boolean fired, Set<String> transformed) {
        try {
            Class.forName(probe.typeName(), false, null); // loading (not initialising) weaves it
        } catch (ClassNotFoundException | LinkageError e) {
            return "absent on this JDK";
        }
        if (Boolean.TRUE.equals(fired)) {
            return "fired";
        }
        boolean woven = transformed.contains(probe.typeName());
        if (Boolean.FALSE.equals(fired)) {
            return woven ? "woven, did not fire (ThreadMXBean counters cover it)"
                    : "not instrumentable here (native method); ThreadMXBean counters cover it";
        }
        return woven ? "woven" : "NOT woven (ThreadMXBean counters cover it)";
    }

    /**
     * Runs each cheap blocking call on this thread and notes whether the probe of that kind in that
     * class saw it, keyed like the result ({@code kind class}).
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
        fired.put("park java.util.concurrent.locks.LockSupport",
                fires(Blocking.PARK, () -> LockSupport.parkNanos(1_000)));
        fired.put("sleep java.lang.Thread", fires(Blocking.SLEEP, () -> Thread.sleep(1)));
        fired.put("object-wait java.lang.Object", fires(Blocking.OBJECT_WAIT, () -> {
            Object monitor = new Object();
            synchronized (monitor) {
                monitor.wait(1);
            }
        }));
        fired.put("lock java.util.concurrent.locks.AbstractQueuedSynchronizer",
                fires(Blocking.LOCK, ProbeCheck::waitForAHeldLock));
        fired.put("file-io java.io.FileInputStream", fires(Blocking.FILE_IO, () -> {
            try (InputStream in = new FileInputStream(Path.of(System.getProperty("java.home"), "release").toFile())) {
                in.read();
            }
        }));
    }

    /**
     * Takes a lock that another agent thread holds until this one queues for it: the probe sits on
     * AQS's slow path, which an uncontended acquisition never enters. Bounded: if the holder cannot
     * run, the lock is taken uncontended and the probe reports that it did not fire.
     */
    private static void waitForAHeldLock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Thread me = Thread.currentThread();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = AgentThreads.newThread("watchdog-selftest-lock", () -> {
            lock.lock();
            try {
                held.countDown();
                long deadline = System.nanoTime() + HOLD_BOUND_NANOS;
                while (!lock.hasQueuedThread(me) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(100_000);
                }
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
    }

    private static final long HOLD_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private interface Action {
        void run() throws Exception;
    }

    private static boolean fires(int kind, Action action) {
        Probes.takeRecordedBlockingKind();
        try {
            action.run();
        } catch (Exception | LinkageError e) {
            return false;
        }
        return Probes.takeRecordedBlockingKind() == kind;
    }
}
