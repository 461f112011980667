package io.jvmwatchdog.boot;

/**
 * The static entry points that advice calls. Each one records a transition of the calling thread.
 *
 * <p>Every method here runs on an application thread, inside whatever JDK or application method the
 * advice was woven into: it must not lock, allocate (after the thread's first call), read the clock,
 * log, or throw. Exits tolerate a missing entry (an agent attached while the thread was already
 * inside the method): depths never go below zero.
 */
public final class Probes {

    // The install self-test's view of its own thread: the last outermost blocking call that began.
    // Written and read by that one thread only; any other thread compares its state and moves on.
    private static ThreadState selfTestState;
    private static int selfTestSite;

    private static volatile Runnable readyListener;
    private static volatile boolean readySignalled;

    private Probes() {
    }

    /**
     * Loads and initialises the boot runtime on the calling thread. The agent calls it before weaving
     * any advice, so that no advice ever triggers class loading or initialisation of ours.
     */
    public static void warmUp() {
        blockEnd(blockBegin(Sites.NONE));
        exitBudgeted(enterRequest(Sites.NONE, null, null));
        UnitProbes.exitTask(UnitProbes.enterTask(Sites.NONE)); // what the lean weaver's code calls
        Sites.name(Sites.SECTION);
        new VirtualThreadState(Thread.currentThread()).knownEnded(true); // loaded before any virtual thread needs it
        virtualThreadEnds(Thread.currentThread()); // on this platform thread: its state is kept, nothing happens
    }

    /**
     * Enters an executor task or another unit of work judged by the default rule.
     *
     * @param entry the {@link Sites} number of the woven method
     * @return the thread's state: advice hands it to {@link #exitTask(ThreadState)}, so a pair reads
     *     the thread-local once, not twice
     */
    public static ThreadState enterTask(int entry) {
        return enterPoolTask(entry, null);
    }

    /**
     * Enters a pool's task, naming the pool (for the pool-starvation rule): as {@link #enterTask},
     * and the pool is kept while this is the thread's outermost unit.
     */
    public static ThreadState enterPoolTask(int entry, Object pool) {
        ThreadState state = ThreadStates.current();
        UnitDetails details = pool != null ? state.detailsToWrite() : null; // may allocate: before any count moves
        supersedeQueueJob(state);
        if (state.enterSpan()) {
            state.taskEntry = (char) entry;
            if (details != null) {
                details.pool = pool;
            } else {
                state.clearPool();
            }
        }
        state.transitions++;
        return state;
    }

    /**
     * Names the pool of the unit the thread is entering or has just entered, for a pool whose task
     * advice cannot name it itself (a row of its own, woven beside the task's). Never names over an
     * outer unit's pool.
     */
    public static void namePool(Object pool) {
        ThreadState state = ThreadStates.current();
        if (state.spanDepth == 0 || (state.spanDepth == 1 && state.poolOfJob() == null)) {
            state.setPool(pool);
        }
    }

    public static void exitTask() {
        exitTask(ThreadStates.current());
    }

    /** Leaves a task entered with {@link #enterTask}; null (its enter failed) leaves nothing. */
    public static void exitTask(ThreadState state) {
        if (state == null) {
            return;
        }
        if (state.leaveSpan()) {
            state.clearPool(); // nothing of a finished unit stays reachable from here
        }
        state.transitions++;
    }

    /**
     * Enters an entry= method: any one state past the timeout is stuck.
     *
     * @return the thread's state, for {@link #exitBudgeted(ThreadState)}
     */
    public static ThreadState enterBudgeted(int entry) {
        ThreadState state = ThreadStates.current();
        enterBudgeted(state, entry);
        return state;
    }

    private static UnitDetails enterBudgeted(ThreadState state, int entry) {
        UnitDetails details = state.detailsToWrite(); // may allocate: before any count moves
        state.enterSpan();
        if (details.budgetedDepth++ == 0) {
            details.budgetedEntry = entry;
        }
        state.transitions++;
        return details;
    }

    /** Enters an API section, a budgeted span named by the application at run time. */
    public static void enterSection(String name) {
        ThreadState state = ThreadStates.current();
        UnitDetails details = state.detailsToWrite();
        if (details.budgetedDepth == 0) {
            details.sectionName = name;
        }
        enterBudgeted(state, Sites.SECTION);
    }

    public static void exitBudgeted() {
        exitBudgeted(ThreadStates.current());
    }

    /** Leaves a budgeted unit entered with one of the enter probes; null (its enter failed) leaves nothing. */
    public static void exitBudgeted(ThreadState state) {
        if (state == null) {
            return;
        }
        UnitDetails details = state.details();
        if (details != null && details.budgetedDepth > 0) {
            if (--details.budgetedDepth == 0) {
                // Checked first: a store of a reference costs a GC barrier even when it stores null.
                if (!unnamed(details)) {
                    details.subject = null;
                    details.requestPath = null;
                }
                if (details.budgetedEntry == Sites.SECTION) {
                    details.sectionName = null;
                }
            }
            state.leaveSpan();
        }
        state.transitions++;
    }

    /**
     * Whether a request unit entered now would name the request: no unit around it named one yet.
     * Advice asks first, so that it reads a request's method and path (which may call an
     * application's request wrapper) only when they will be kept.
     */
    public static boolean wantsRequestName() {
        UnitDetails details = ThreadStates.current().details();
        return details == null || unnamed(details);
    }

    /** No unit the thread is in has named what it serves yet: the first one that knows does. */
    private static boolean unnamed(UnitDetails details) {
        return details.subject == null && details.requestPath == null;
    }

    /**
     * Enters a server's request unit (budgeted), naming the request by the strings the server
     * already holds. A unit nested in one that already named the request (a servlet inside Jetty's
     * handler) keeps the outer names. Leave with {@link #exitBudgeted(ThreadState)}.
     *
     * @param method the HTTP method, or null
     * @param path the URI path without the query string (which may hold secrets), or null
     */
    public static ThreadState enterRequest(int entry, String method, String path) {
        ThreadState state = ThreadStates.current();
        UnitDetails details = enterBudgeted(state, entry);
        if (unnamed(details)) {
            if (method != null) {
                details.subject = method;
            }
            if (path != null) {
                details.requestPath = path;
            }
        }
        return state;
    }

    /**
     * Enters an event-loop unit (budgeted: an event loop must never block): the processing of one
     * channel's I/O event or one task. Leave with {@link #exitBudgeted(ThreadState)}.
     *
     * @param subject the channel, or the task's {@link Class}; never a task object, which the report
     *     could only describe by calling application code, and never a String (that is a request's)
     */
    public static ThreadState enterEventLoop(int entry, Object subject) {
        ThreadState state = ThreadStates.current();
        UnitDetails details = enterBudgeted(state, entry);
        if (subject != null && !(subject instanceof String) && unnamed(details)) {
            details.subject = subject;
        }
        return state;
    }

    /**
     * A pool worker starts a job: when it enters its run loop with a first job, and each time its
     * wait for the next job returns one. The job is a watched task span until {@link #jobEnd()}.
     *
     * <p>Keying the span on the wait for work, not on the run loop, is what lets an agent attached to
     * a running JVM watch workers that started before it: their run loop runs old code, but every
     * wait for the next job runs the woven one.
     *
     * @param pool the {@link Sites} number of the pool's run loop, which names the job
     */
    public static void jobBegin(int pool) {
        jobBegin(ThreadStates.current(), pool, null);
    }

    /** {@link #jobBegin(int)}, naming the pool itself (for the pool-starvation rule). */
    public static void jobBegin(int pool, Object executor) {
        jobBegin(ThreadStates.current(), pool, executor);
    }

    /**
     * {@link #jobBegin(int, Object)} with the state {@link #jobEnd()} returned: a wait for work reads
     * it once.
     */
    public static void jobBegin(ThreadState state, int pool, Object executor) {
        if (state == null) {
            return;
        }
        UnitDetails details = executor != null ? state.detailsToWrite() : null; // may allocate: first
        supersedeQueueJob(state);
        if (!state.has(ThreadState.IN_POOL_JOB)) {
            state.set(ThreadState.IN_POOL_JOB);
            if (state.enterSpan()) {
                state.taskEntry = (char) pool;
            }
        }
        if (details != null) {
            details.pool = executor;
        }
        state.transitions++;
    }

    /**
     * The worker's job is over: it goes back to its pool for the next one, or its run loop ends.
     *
     * @return the thread's state, for the {@link #jobBegin(ThreadState, int, Object)} when the wait returns
     */
    public static ThreadState jobEnd() {
        ThreadState state = ThreadStates.current();
        if (state.has(ThreadState.IN_POOL_JOB)) {
            state.clear(ThreadState.IN_POOL_JOB);
            state.clearPool();
            state.leaveSpan();
        }
        state.transitions++;
        return state;
    }

    /**
     * The general worker-loop rule. Every worker loop has one shape: wait for work in a queue, run it,
     * wait again. A thread outside any unit that takes an element from a {@code BlockingQueue}
     * ({@code take}, or {@code poll} with a timeout) begins a job, judged as an executor task, which
     * ends when it waits on a queue again. A thread idle in the wait is outside it; a thread that only
     * polls without waiting never begins one. A known unit entered meanwhile (a pool's job, an
     * executor's task) takes the job's place ({@link #supersedeQueueJob}), so known pools keep their
     * own names.
     *
     * @param site the {@link Sites} number of the queue's method, which names the job
     */
    public static void queueJobBegins(int site) {
        queueJobBegins(ThreadStates.current(), site);
    }

    /** {@link #queueJobBegins(int)} with the state {@link #queueWaitBegins()} returned: one read per take. */
    public static void queueJobBegins(ThreadState state, int site) {
        if (state != null && state.spanDepth == 0) {
            state.set(ThreadState.IN_QUEUE_JOB);
            state.spanDepth = 1;
            state.taskEntry = (char) site;
            state.transitions++;
        }
    }

    /**
     * The thread waits on a queue: the job it took from one before is over.
     *
     * @return the thread's state, for the {@link #queueJobBegins(ThreadState, int)} when the wait returns
     */
    public static ThreadState queueWaitBegins() {
        ThreadState state = ThreadStates.current();
        if (state.has(ThreadState.IN_QUEUE_JOB)) {
            supersedeQueueJob(state);
            state.transitions++;
        }
        return state;
    }

    /** Ends a queue job, if one is open: a wait for the next, or a known unit that takes its place. */
    private static void supersedeQueueJob(ThreadState state) {
        if (state.has(ThreadState.IN_QUEUE_JOB)) {
            state.clear(ThreadState.IN_QUEUE_JOB);
            state.leaveSpan();
        }
    }

    /**
     * Entry of a blocking call. Only the outermost one counts: a {@code ReentrantLock.lock()} that
     * parks stays a lock acquisition, a socket read that polls stays a socket read, and the wake-ups
     * inside are not progress (the call has not returned).
     *
     * @param site the {@link Sites} number of the call, which also gives its {@link Blocking} kind
     * @return the thread's state if this call is the outermost, else null; pass it to
     *     {@link #blockEnd(ThreadState)}
     */
    public static ThreadState blockBegin(int site) {
        try {
            ThreadState state = ThreadStates.current();
            if (state.blocking != Sites.NONE) {
                return null;
            }
            state.blocking = (char) site;
            if (state == selfTestState) {
                selfTestSite = site;
            }
            state.transitions++;
            return state;
        } catch (Throwable t) {
            // A thread's first probe allocates its state: on an OutOfMemoryError (or a stack overflow
            // at the call) the call goes unmarked rather than failing in the application. LeanWeaver
            // calls this straight from the woven JDK method, with no advice around it to catch.
            return null;
        }
    }

    /**
     * The slow path of an AQS acquisition ({@code acquire(node, arg, shared, interruptible, timed,
     * time)}): a lock wait when neither interruptible nor timed, as {@link #blockBegin}; else nothing
     * (null), leaving the wait to the park probe inside.
     */
    public static ThreadState lockWaitBegin(int site, boolean interruptible, boolean timed) {
        return interruptible || timed ? null : blockBegin(site);
    }

    /** Ends the blocking call that {@link #blockBegin} marked; null (not the outermost) ends nothing. */
    public static void blockEnd(ThreadState outermost) {
        if (outermost == null) {
            return;
        }
        outermost.blocking = Sites.NONE;
        outermost.transitions++;
    }

    /**
     * For the install self-test: from now on, remembers the kind of each outermost blocking call the
     * calling thread begins, so the test can tell that a probe of that kind fired.
     */
    public static void recordBlockingCallsOfThisThread() {
        selfTestState = ThreadStates.current();
        selfTestSite = Sites.NONE;
    }

    /** The {@link Blocking} kind of the last call recorded since the last call of this, then forgets it. */
    public static int takeRecordedBlockingKind() {
        int kind = Sites.kind(selfTestSite);
        selfTestSite = Sites.NONE;
        return kind;
    }

    /** Stops recording (the self-test is over). */
    public static void stopRecording() {
        selfTestState = null;
    }

    /**
     * A virtual thread's run is over (woven at the end of {@code VirtualThread.run}, which hands the
     * thread over: on Java 21 the code there already runs on the carrier): its state lets go of the
     * thread, and the watchdog unlinks it. A thread that never passed a probe gets no state.
     */
    public static void virtualThreadEnds(Object thread) {
        try {
            // An Object, so that the woven code needs no cast (and a test's look-alike class verifies).
            ThreadState state = thread instanceof Thread t ? StateTable.findWithoutLock(t) : null; // its adds came first
            if (state instanceof VirtualThreadState) { // a platform thread (warmUp's) keeps its state
                state.threadEnded();
            }
        } catch (Throwable t) {
            // Nothing may reach the thread's end (LeanWeaver calls this with no advice around it to
            // catch): a state that did not let go is found ended by the watchdog's isAlive check.
        }
    }

    /**
     * A virtual thread parks without unmounting ({@code VirtualThread.parkOnCarrierThread}): it is
     * pinned, and its carrier is blocked with it until {@link #pinnedParkEnd}.
     *
     * @return the thread's state, for {@link #pinnedParkEnd}
     */
    public static ThreadState pinnedParkBegin() {
        ThreadState state = ThreadStates.current();
        state.set(ThreadState.PINNED_PARK);
        return state;
    }

    public static void pinnedParkEnd(ThreadState state) {
        if (state != null) {
            state.clear(ThreadState.PINNED_PARK);
        }
    }

    /** Long legitimate work says it is still making progress. */
    public static void pet() {
        ThreadStates.current().transitions++;
    }

    /** The application signals that startup is complete. Only the first call counts. */
    public static void ready() {
        if (readySignalled) {
            return;
        }
        readySignalled = true;
        Runnable listener = readyListener;
        if (listener != null) {
            try {
                listener.run();
            } catch (Throwable ignored) {
                // The listener only flags and unparks; nothing may reach the application.
            }
        }
    }

    public static boolean isReadySignalled() {
        return readySignalled;
    }

    /**
     * Sets what {@link #ready()} calls. It runs on an application thread and must not block.
     * Callers check {@link #isReadySignalled()} afterwards, for a signal that came first.
     */
    public static void setReadyListener(Runnable listener) {
        readyListener = listener;
    }
}
