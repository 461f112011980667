package io.jvmwatchdog.boot;

/**
 * What one thread is doing, written by that thread through {@link Probes} and read by the watchdog.
 *
 * <p>Concurrency: every field but {@link #next} is written only by the owning thread, with plain
 * stores, and read by the watchdog's sampler thread without synchronisation. The race is benign by
 * design: the watchdog only asks "did anything change since my last look, a period ago?", so a value
 * that is a few nanoseconds stale changes no verdict, and int fields cannot tear. A plain store is
 * what keeps a transition at a few nanoseconds (a volatile store costs a fence on every one).
 *
 * <p>Memory: the state holds no reference to its thread, only its id, so the registry never keeps a
 * dead thread's object alive and the garbage collector has no reference to process for it; the
 * watchdog unlinks the states of threads no longer alive ({@link ThreadStates#purge}). Its fields fit
 * 64 bytes with compressed references (a platform thread's, 72: its id is a long); the thread-local entry that leads to it is the JDK's.
 *
 * <p>Two kinds: a platform thread's state names its thread by id, and the watchdog learns which
 * threads live from the JVM's thread listing; a virtual thread's state holds its thread until that
 * thread's run ends ({@link Probes#virtualThreadEnds}), because no listing of virtual threads exists
 * and the watchdog reads their state, name and stack from the thread object.
 */
public abstract class ThreadState {

    /**
     * Incremented on every transition: span entry or exit, a pool job's start or end, the start and
     * end of an outermost blocking call, pet. Wraps; only equality matters.
     */
    int transitions;
    /** Watched spans entered and not yet left (executor tasks, entry points, sections). */
    int spanDepth;
    /** Of {@link #spanDepth}, how many are budgeted: entry= methods and API sections. */
    int budgetedDepth;
    /** True while a pool worker runs a job it took from its pool (one of the spans in spanDepth). */
    boolean inPoolJob;
    /**
     * True while a thread outside any other unit runs a job it took from a {@code BlockingQueue}: the
     * general worker-loop rule (one of the spans in spanDepth; see {@link Probes#queueJobBegins}).
     */
    boolean inQueueJob;
    /**
     * The pool whose job or task the thread's outermost unit runs, when the advice knows it: what a
     * starved pool's workers have in common. Cleared when that unit ends; the worker belongs to the
     * pool, so this keeps nothing alive that the thread does not.
     */
    Object pool;
    /**
     * True for a state made by the agent for a thread that was already inside a unit when the agent
     * was attached; the thread claims it on its first probe (see {@link ThreadStates#adopt}).
     */
    volatile boolean adopted;
    /** {@link Sites} number of the outermost span, set when the thread enters its first span. */
    int taskEntry;
    /** {@link Sites} number of the outermost budgeted span. */
    int budgetedEntry;
    /** The name of that span when it is an API section ({@link Sites#SECTION}), given at run time. */
    String sectionName;
    /** {@link Sites} number of the outermost blocking call the thread is inside, or {@link Sites#NONE}. */
    int blocking;
    /**
     * What the outermost budgeted unit serves, when a server says it at entry without any work: for
     * a request, {@link #subject} is its HTTP method and {@link #requestPath} its URI path (strings
     * the server already holds); for an event-loop unit, {@link #subject} is a channel or a task's
     * class. Set by the first unit that knows, cleared when the outermost budgeted unit ends, so
     * nothing of a finished request stays reachable from here.
     */
    Object subject;
    String requestPath;
    /**
     * True while a virtual thread is parked without unmounting (pinned: a native frame or a class
     * initialiser on its stack, or on Java 21-23 a monitor): its carrier waits with it.
     */
    boolean pinnedPark;

    /** Registry link: set once before publication, then only rewritten by the watchdog's sampler. */
    ThreadState next;

    ThreadState() {
    }

    /** A new state for {@code thread}, of the kind it needs. */
    static ThreadState of(Thread thread) {
        return ThreadStates.isVirtual(thread) ? new VirtualThreadState(thread) : new PlatformThreadState(thread.getId());
    }

    /** The thread's id, or -1 once a virtual thread has ended. */
    public abstract long threadId();

    /** The virtual thread this state belongs to, until its run ends; null for a platform thread. */
    public Thread virtualThread() {
        return null;
    }

    /**
     * Whether the thread has ended as far as the state can tell without the JVM's listing.
     *
     * @param askThread also ask the thread object, when the state holds one
     */
    abstract boolean knownEnded(boolean askThread);

    /** The thread's run has ended. */
    void threadEnded() {
    }

    /** The pool whose job or task the thread runs now, or null (none, or a pool the advice cannot name). */
    public Object poolOfJob() {
        return spanDepth > 0 ? pool : null;
    }

    /** True while a virtual thread is parked on its carrier instead of unmounting. */
    public boolean isPinnedPark() {
        return pinnedPark;
    }

    public int transitions() {
        return transitions;
    }

    /** True while the thread is inside a watched span. */
    public boolean isWatched() {
        return spanDepth > 0;
    }

    /** True while the thread is inside an entry= method or an API section. */
    public boolean isBudgeted() {
        return budgetedDepth > 0;
    }

    /** The entry point to name in a report: the budgeted one if any, else the task's. */
    public String entry() {
        if (budgetedDepth > 0) {
            int budgeted = budgetedEntry;
            if (budgeted == Sites.SECTION) {
                String section = sectionName;
                if (section != null) {
                    return section;
                }
            } else if (budgeted != Sites.NONE) {
                return Sites.name(budgeted);
            }
        }
        return Sites.name(taskEntry);
    }

    /** HTTP method of the request the thread serves, or null. */
    public String requestMethod() {
        return budgetedDepth > 0 && subject instanceof String method ? method : null;
    }

    /** URI path (never the query) of the request the thread serves, or null. */
    public String requestPath() {
        return budgetedDepth > 0 ? requestPath : null;
    }

    /**
     * The event-loop unit's subject: a {@link Class} for a task (name it, never call it), else a
     * channel whose {@code toString()} is the server's own cheap, cached description; or null.
     */
    public Object unitSubject() {
        Object s = subject;
        return budgetedDepth > 0 && !(s instanceof String) ? s : null;
    }

    /**
     * The {@link Sites} number of the outermost blocking call the thread is inside, or
     * {@link Sites#NONE}: one read gives both the call's name and its kind, which cannot disagree.
     */
    public int blockingSite() {
        return blocking;
    }

    /** The next state in the registry, for the watchdog's walk. */
    public ThreadState next() {
        return next;
    }
}
