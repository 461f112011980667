package io.jvmwatchdog.boot;

/**
 * A platform thread's state: its id only, so that the registry never keeps a dead thread's object
 * alive. The watchdog learns which platform threads live from the JVM's thread listing.
 */
final class PlatformThreadState extends ThreadState {

    private final long threadId;

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
    int tableHash() {
        return StateTable.hash(threadId);
    }

    @Override
    boolean tableEnded() {
        return has(ENDED_THREAD);
    }

    @Override
    void threadEnded() {
        // By the watchdog, once the thread's id left the JVM's listing. The details stay: a thread the
        // listing does not show (a hidden one) may still be running, and re-registers after a sweep.
        set(ENDED_THREAD);
    }
}
