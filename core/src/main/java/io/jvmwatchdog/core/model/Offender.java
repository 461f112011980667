package io.jvmwatchdog.core.model;

/**
 * What the watchdog concluded about one thread: stuck in one state for {@code stuckNanos}.
 *
 * <p>A thread moves {@code watched → stuck} when it stays in one state past the timeout (which state
 * counts depends on its {@link UnitKind}), then {@code stuck → recovered} when its progress signature
 * changes or it leaves its span. Each step is reported once; a thread that stays stuck is re-reported
 * at most once a minute.
 *
 * @param sample the latest sample of the thread
 * @param stuckNanos how long it has been in this state, pauses discounted
 * @param isNew true in the pass that first found it stuck
 */
public record Offender(ThreadSample sample, long stuckNanos, boolean isNew) {
}
