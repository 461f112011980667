package io.jvmwatchdog.boot;

/**
 * What one thread is doing, written by that thread through {@link Probes} and read by the watchdog.
 *
 * <p>Concurrency: every field but {@link #next} is written only by the owning thread, with plain
 * stores (or by the watchdog, once no thread writes the state any more: withdrawn, or its thread
 * ended), and read by the watchdog's sampler thread without synchronisation. The race is benign by
 * design: the watchdog only asks "did anything change since my last look, a period ago?", so a value
 * that is a few nanoseconds stale changes no verdict, and no field can tear (the JVM writes a
 * {@code char} or a {@code byte} alone). A plain store is what keeps a transition at a few
 * nanoseconds (a volatile store costs a fence on every one).
 *
 * <p>Memory: the state holds no reference to a platform thread, only its id, so the registry never
 * keeps a dead thread's object alive and the garbage collector has no reference to process for it; the
 * watchdog unlinks the states of threads no longer alive ({@link ThreadStates#purge}). What every
 * probe touches is here, in 32 bytes with compressed references (site numbers and the span depth as
 * {@code char}s, flags in a byte); what only budgeted units and named pools need is in
 * {@link UnitDetails}, made when first needed (40 bytes). A thread's state is 40 bytes, a virtual
 * one's (its thread) as a platform one's (its id, a long); with its slot in the {@link StateTable}
 * that leads to it (8 to 16 bytes), the agent's whole cost is 48 to 56 bytes per thread.
 *
 * <p>Two kinds: a platform thread's state names its thread by id, and the watchdog learns which
 * threads live from the JVM's thread listing; a virtual thread's state holds its thread until that
 * thread's run ends ({@link Probes#virtualThreadEnds}), because no listing of virtual threads exists
 * and the watchdog reads their state, name and stack from the thread object.
 */
public abstract class ThreadState {

    /** The deepest nesting of watched spans counted; deeper ones are not (a saturated count). */
    static final int MAX_SPAN_DEPTH = Character.MAX_VALUE;
    /** {@link #flags}: a pool worker runs a job it took from its pool (one of the spans in spanDepth). */
    static final byte IN_POOL_JOB = 1;
    /**
     * {@link #flags}: a thread outside any other unit runs a job it took from a {@code BlockingQueue},
     * the general worker-loop rule (one of the spans in spanDepth; see {@link Probes#queueJobBegins}).
     */
    static final byte IN_QUEUE_JOB = 2;
    /**
     * {@link #flags}: a virtual thread is parked without unmounting (pinned: a native frame or a class
     * initialiser on its stack, or on Java 21-23 a monitor): its carrier waits with it.
     */
    static final byte PINNED_PARK = 4;
    /**
     * {@link #flags}: an adopted state withdrawn because its thread registered on its own (see
     * {@link ThreadStates#settleAdoptions}); the next purge unlinks it though its thread lives on.
     */
    static final byte WITHDRAWN = 8;
    /**
     * {@link #flags}: a platform thread's state the watchdog unlinked because its thread ended (set by
     * the watchdog: the thread writes nothing any more); it leaves the {@link StateTable} at the next sweep.
     */
    static final byte ENDED_THREAD = 16;

    /**
     * Incremented on every transition: span entry or exit, a pool job's start or end, the start and
     * end of an outermost blocking call, pet. Wraps; only equality matters.
     */
    int transitions;
    /** Watched spans entered and not yet left (executor tasks, entry points, sections). */
    char spanDepth;
    /** {@link Sites} number of the outermost span, set when the thread enters its first span. */
    char taskEntry;
    /** {@link Sites} number of the outermost blocking call the thread is inside, or {@link Sites#NONE}. */
    char blocking;
    /** {@link #IN_POOL_JOB}, {@link #IN_QUEUE_JOB}, {@link #PINNED_PARK}, {@link #WITHDRAWN}, {@link #ENDED_THREAD}. */
    byte flags;
    /**
     * True for a state made by the agent for a thread that was already inside a unit when the agent
     * was attached; the thread claims it on its first probe (see {@link ThreadStates#adopt}).
     */
    volatile boolean adopted;

    /** Registry link: set once before publication, then only rewritten by the watchdog's sampler. */
    ThreadState next;
    /**
     * The cold part, made by the thread's first probe that needs it ({@link #detailsToWrite}); null
     * until then. A field of its own, not one shared with a virtual thread's thread: telling the two
     * apart would read the referenced object's class, one more object touched per state in a pass.
     */
    private UnitDetails details;

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

    /** The thread's run has ended: its state leaves the {@link StateTable} at the next sweep. */
    abstract void threadEnded();

    /** Whether this is the state of {@code thread}: what {@link StateTable} asks. */
    abstract boolean belongsTo(Thread thread);

    /** {@link StateTable#hash} of the thread's id, read without touching the thread object. */
    abstract int tableHash();

    /** The thread has ended and the watchdog unlinked the state: the table may drop it. */
    abstract boolean tableEnded();

    /** The thread's details, or null while it has needed none (most virtual threads). */
    final UnitDetails details() {
        return details;
    }

    /** The thread's details, made on first use. Only the owning thread calls this (or adoption, before publication). */
    final UnitDetails detailsToWrite() {
        UnitDetails d = details;
        if (d == null) {
            details = d = new UnitDetails();
        }
        return d;
    }

    /** Lets go of the details: nothing of an ended thread's last unit stays reachable. */
    final void dropDetails() {
        details = null;
    }

    /** Enters a watched span; true when it is the thread's outermost. */
    final boolean enterSpan() {
        int depth = spanDepth;
        if (depth < MAX_SPAN_DEPTH) {
            spanDepth = (char) (depth + 1);
        }
        return depth == 0;
    }

    /** Leaves a watched span; true when it was the thread's outermost. Never goes below zero. */
    final boolean leaveSpan() {
        int depth = spanDepth;
        if (depth == 0) {
            return false;
        }
        spanDepth = (char) (depth - 1);
        return depth == 1;
    }

    final boolean has(byte flag) {
        return (flags & flag) != 0;
    }

    final void set(byte flag) {
        flags |= flag;
    }

    final void clear(byte flag) {
        flags &= (byte) ~flag;
    }

    /** Names the pool of the outermost unit; a null pool makes no details. */
    final void setPool(Object pool) {
        if (pool != null) {
            detailsToWrite().pool = pool;
        } else {
            clearPool();
        }
    }

    final void clearPool() {
        UnitDetails details = details();
        // Checked first: a store of a reference costs a GC barrier even when it stores null.
        if (details != null && details.pool != null) {
            details.pool = null;
        }
    }

    /** The budgeted spans the thread is in: entry= methods, sections, server units. */
    final int budgetedDepth() {
        UnitDetails details = details();
        return details == null ? 0 : details.budgetedDepth;
    }

    /** The pool whose job or task the thread runs now, or null (none, or a pool the advice cannot name). */
    public Object poolOfJob() {
        UnitDetails details = details();
        return spanDepth > 0 && details != null ? details.pool : null;
    }

    /** True while a virtual thread is parked on its carrier instead of unmounting. */
    public boolean isPinnedPark() {
        return has(PINNED_PARK);
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
        return budgetedDepth() > 0;
    }

    /** The entry point to name in a report: the budgeted one if any, else the task's. */
    public String entry() {
        UnitDetails details = details();
        if (details != null && details.budgetedDepth > 0) {
            int budgeted = details.budgetedEntry;
            if (budgeted == Sites.SECTION) {
                String section = details.sectionName;
                if (section != null) {
                    return section;
                }
            } else if (budgeted != Sites.NONE) {
                return Sites.name(budgeted);
            }
        }
        return Sites.name(taskEntry);
    }

    /** The details of the budgeted unit the thread is in, or null. */
    private UnitDetails budgetedDetails() {
        UnitDetails details = details();
        return details != null && details.budgetedDepth > 0 ? details : null;
    }

    /** HTTP method of the request the thread serves, or null. */
    public String requestMethod() {
        UnitDetails details = budgetedDetails();
        return details != null && details.subject instanceof String method ? method : null;
    }

    /** URI path (never the query) of the request the thread serves, or null. */
    public String requestPath() {
        UnitDetails details = budgetedDetails();
        return details != null ? details.requestPath : null;
    }

    /**
     * The event-loop unit's subject: a {@link Class} for a task (name it, never call it), else a
     * channel whose {@code toString()} is the server's own cheap, cached description; or null.
     */
    public Object unitSubject() {
        UnitDetails details = budgetedDetails();
        Object s = details != null ? details.subject : null;
        return s instanceof String ? null : s;
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
