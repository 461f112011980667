package io.jvmwatchdog.core.model;

/**
 * A pool none of whose workers is free, as a {@link StuckReason#POOL_STARVATION} offender names it.
 *
 * @param name the pool as {@code Class@identity} (its {@code toString()} would take its lock)
 * @param workers how many workers it has, every one waiting inside a job
 * @param queued how many tasks wait in its queue, not started
 */
public record StarvedPool(String name, int workers, int queued) {

    @Override
    public String toString() {
        return name + ": all " + workers + " worker(s) wait inside jobs; " + queued + " task(s) queued, not started";
    }
}
