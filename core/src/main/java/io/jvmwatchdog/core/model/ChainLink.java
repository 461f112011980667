package io.jvmwatchdog.core.model;

/**
 * One link of a wait-for chain: a thread, what it waits on (a lock, or for the last link what it is
 * doing), and for how long it has been in that state.
 *
 * @param waitsOn the lock ({@code class@identity}) held by the next link, or for the root holder its
 *     activity in words (e.g. "in an uninterruptible wait: socket read (sun.nio.ch.NioSocketImpl.read)")
 * @param forNanos time in this state as tracked by the watchdog (pauses discounted)
 */
public record ChainLink(long threadId, String threadName, Thread.State state, String waitsOn, long forNanos) {
}
