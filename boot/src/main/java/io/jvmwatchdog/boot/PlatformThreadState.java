package io.jvmwatchdog.boot;

/**
 * A platform thread's state: its id only, so that the registry never keeps a dead thread's object
 * alive. The watchdog learns which platform threads live from the JVM's thread listing.
 */
final class PlatformThreadState extends ThreadState {

    private final long threadId;
    /** Made by the thread's first probe that needs them; read racily by the sampler (null: none yet). */
    private UnitDetails details;

    PlatformThreadState(long threadId) {
        this.threadId = threadId;
    }

    @Override
    public long threadId() {
        return threadId;
    }

    @Override
    boolean knownEnded(boolean askThread) {
        return false; // only the listing can tell
    }

    @Override
    boolean belongsTo(Thread thread) {
        return thread.getId() == threadId; // ids are never reused
    }

    @Override
    long tableKey() {
        return has(ENDED_THREAD) ? ENDED : threadId;
    }

    @Override
    void threadEnded() {
        set(ENDED_THREAD); // by the watchdog, once the thread is gone: nothing else writes the flags then
    }

    @Override
    UnitDetails details() {
        return details;
    }

    @Override
    UnitDetails detailsToWrite() {
        UnitDetails d = details;
        if (d == null) {
            details = d = new UnitDetails(null);
        }
        return d;
    }
}
