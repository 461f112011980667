package io.jvmwatchdog.boot;

/**
 * A virtual thread's state. No listing of virtual threads exists (ThreadMXBean and the thread groups
 * show platform threads only), so the state holds its thread: the watchdog reads the thread's JVM
 * state, name and stack from it. The reference is dropped when the thread's run ends, so a finished
 * virtual thread (and the stack chunks its continuation holds) is never kept alive by the agent; a
 * thread whose end was not seen (it started before an agent attached) is found ended by
 * {@link Thread#isAlive()}, which the watchdog asks now and then.
 *
 * <p>One field holds the thread, or the thread's {@link UnitDetails} once it needs them (which then
 * hold the thread): that keeps the state at 32 bytes.
 */
final class VirtualThreadState extends ThreadState {

    /**
     * The thread, or its details (holding it in a final field); null once its run has ended. Written
     * by the thread itself, read by the sampler without synchronisation: either value it reads gives
     * the thread (a stale null is re-checked by the next look).
     */
    private Object threadOrDetails;

    VirtualThreadState(Thread thread) {
        this.threadOrDetails = thread;
    }

    @Override
    public long threadId() {
        return tableKey();
    }

    @Override
    public Thread virtualThread() {
        Object o = threadOrDetails;
        return o instanceof UnitDetails details ? details.thread : (Thread) o;
    }

    @Override
    long tableKey() {
        Thread t = virtualThread();
        return t == null ? ENDED : t.getId();
    }

    @Override
    boolean belongsTo(Thread thread) {
        Object o = threadOrDetails;
        return o == thread || (o instanceof UnitDetails details && details.thread == thread);
    }

    @Override
    boolean knownEnded(boolean askThread) {
        Thread t = virtualThread();
        return t == null || (askThread && !t.isAlive());
    }

    @Override
    void threadEnded() {
        threadOrDetails = null; // the details go too: nothing of a finished thread stays reachable
    }

    @Override
    UnitDetails details() {
        Object o = threadOrDetails;
        return o instanceof UnitDetails details ? details : null;
    }

    @Override
    UnitDetails detailsToWrite() {
        Object o = threadOrDetails;
        if (o instanceof UnitDetails details) {
            return details;
        }
        UnitDetails details = new UnitDetails((Thread) o);
        if (o != null) {
            threadOrDetails = details;
        } // else the run has ended: a probe after it (none is woven there) keeps nothing
        return details;
    }
}
