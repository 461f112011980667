package io.jvmwatchdog.boot;

/**
 * A virtual thread's state. No listing of virtual threads exists (ThreadMXBean and the thread groups
 * show platform threads only), so the state holds its thread: the watchdog reads the thread's JVM
 * state, name and stack from it. The reference is dropped when the thread's run ends, so a finished
 * virtual thread (and the stack chunks its continuation holds) is never kept alive by the agent; a
 * thread whose end was not seen (it started before an agent attached) is found ended by
 * {@link Thread#isAlive()}, which the watchdog asks now and then.
 */
final class VirtualThreadState extends ThreadState {

    /** Written by the thread itself when it ends; read by the sampler (a stale value is re-checked). */
    private Thread thread;
    /**
     * The table's hash of the thread's id, kept so that the table's rebuilds never read the thread
     * object (a cache miss each, a million of them in a large crowd). It fills what would otherwise be
     * padding: the state is 40 bytes either way.
     */
    private final int tableHash;

    VirtualThreadState(Thread thread) {
        this.thread = thread;
        this.tableHash = StateTable.hash(thread.getId());
    }

    @Override
    public long threadId() {
        Thread t = thread;
        return t == null ? -1 : t.getId();
    }

    @Override
    public Thread virtualThread() {
        return thread;
    }

    @Override
    boolean belongsTo(Thread thread) {
        return this.thread == thread;
    }

    @Override
    int tableHash() {
        return tableHash;
    }

    @Override
    boolean tableEnded() {
        return thread == null;
    }

    @Override
    boolean knownEnded(boolean askThread) {
        Thread t = thread;
        return t == null || (askThread && !t.isAlive());
    }

    @Override
    void threadEnded() {
        thread = null;
        dropDetails(); // nothing of a finished thread stays reachable
    }
}
