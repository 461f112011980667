package io.jvmwatchdog.core.model;

/**
 * A thread that was reported stuck and has moved on (made progress, left its span, or ended).
 *
 * @param stuckNanos how long it had been in the stuck state when the watchdog saw it move on
 */
public record Recovery(ThreadSample sample, long stuckNanos) {
}
