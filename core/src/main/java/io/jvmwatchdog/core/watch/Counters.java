package io.jvmwatchdog.core.watch;

import java.util.concurrent.atomic.AtomicLong;

/** What the watchdog has seen since the agent started. Each new offender counts once. */
public final class Counters {
    final AtomicLong stuckDetected = new AtomicLong();
    final AtomicLong recovered = new AtomicLong();
    final AtomicLong startupTimeouts = new AtomicLong();
    final AtomicLong watchdogStuck = new AtomicLong();
    final AtomicLong jvmStalls = new AtomicLong();
    final AtomicLong passes = new AtomicLong();
    final AtomicLong loopFailures = new AtomicLong();
    final AtomicLong deadlockSearches = new AtomicLong();
    final AtomicLong lastPassMicros = new AtomicLong();

    public long stuckDetected() {
        return stuckDetected.get();
    }

    public long recovered() {
        return recovered.get();
    }

    public long startupTimeouts() {
        return startupTimeouts.get();
    }

    public long watchdogStuck() {
        return watchdogStuck.get();
    }

    /** Whole-JVM stalls reported (each once, not its repeats). */
    public long jvmStalls() {
        return jvmStalls.get();
    }

    public long passes() {
        return passes.get();
    }

    /** How often the (stop-the-world) deadlock search ran. */
    public long deadlockSearches() {
        return deadlockSearches.get();
    }

    /** How long the last pass took, sampling included, in microseconds. */
    public long lastPassMicros() {
        return lastPassMicros.get();
    }

    public long loopFailures() {
        return loopFailures.get();
    }
}
