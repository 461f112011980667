package io.jvmwatchdog.boot;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The registry of every thread that has passed a probe: for the owning thread, the
 * {@link StateTable} (not a thread-local, which would cost each thread the JDK's map entry, and a
 * virtual thread usually its whole map); for the watchdog, a singly linked list.
 *
 * <p>Registration happens once per thread, on its first probe: one allocation, one CAS on the list
 * head and a store in the table under its segment's lock. After that a probe costs one lookup in the
 * table and a few plain stores. Only the
 * watchdog unlinks entries ({@link #purge}, one call at a time), and only interior ones; pushers
 * only ever touch the head, so the two never write the same field.
 */
public final class ThreadStates {

    private static final AtomicReference<ThreadState> HEAD = new AtomicReference<>();
    /**
     * The adopted states not claimed yet, by thread id: a thread's first probe takes its own out in
     * one lookup (while the map is empty, not even that). A search of the registry instead cost every
     * new thread a walk of it while any adoption was unclaimed: a JVM that starts 100,000 virtual
     * threads a second slowed to a few thousand.
     */
    private static final ConcurrentHashMap<Long, ThreadState> UNCLAIMED = new ConcurrentHashMap<>();

    /**
     * Registrations after which the watchdog is asked for a {@link #purge} between its passes. The
     * pass unlinks ended threads' states too, but it runs once a period (45 s by default), and a JVM
     * that starts 100,000 virtual threads a second would otherwise hold millions of dead states until
     * then. With this, at most about this many (40 B each: 2.5 MiB) wait to be unlinked.
     */
    public static final int PURGE_EVERY_REGISTRATIONS = 1 << 16;
    /** Registrations so far, and at the last purge: plain ints, racy on purpose (only a hint). */
    private static int registrations;
    private static int registrationsAtPurge;
    private static volatile boolean purgeRequested;
    private static volatile Runnable purgeListener;

    /** Makes the calling thread's state, on its first probe (or claims the one adopted for it). */
    private static ThreadState register(Thread me) {
        ThreadState state = UNCLAIMED.isEmpty() ? null : claim(me);
        if (state != null) {
            try {
                StateTable.add(me, state);
            } catch (Throwable t) { // out of memory growing the table: the adopted span must not linger
                withdraw(state);
                throw t;
            }
        } else {
            state = ThreadState.of(me);
            StateTable.add(me, state); // before the push: a failure here leaves nothing linked
            push(state);
            if (!UNCLAIMED.isEmpty()) {
                withdrawAdopted(me); // adopted while this was being made: this state is the truth
            }
            if (++registrations - registrationsAtPurge >= PURGE_EVERY_REGISTRATIONS && !purgeRequested) {
                purgeRequested = true;
                Runnable listener = purgeListener; // wakes the watchdog's loop: an unpark, nothing more
                if (listener != null) {
                    listener.run();
                }
            }
        }
        return state;
    }

    /**
     * Called when so many threads registered since the last purge that the watchdog should purge now
     * rather than at its next pass. Runs on an application thread: it must only wake a thread.
     */
    public static void setPurgeListener(Runnable listener) {
        purgeListener = listener;
    }

    /** Whether enough threads registered since the last purge to purge before the next pass. */
    public static boolean purgeDue() {
        return registrations - registrationsAtPurge >= PURGE_EVERY_REGISTRATIONS;
    }

    /** Withdraws an unclaimed adopted state of {@code thread}: it stays linked, idle, until the next purge. */
    private static void withdrawAdopted(Thread thread) {
        ThreadState s = UNCLAIMED.get(thread.getId());
        if (s != null) {
            withdraw(s);
        }
    }

    private static void withdraw(ThreadState s) {
        s.adopted = false;
        s.spanDepth = 0;
        UnitDetails details = s.details();
        if (details != null) {
            details.budgetedDepth = 0;
        }
        s.clear(ThreadState.IN_POOL_JOB);
        s.set(ThreadState.WITHDRAWN); // its thread never writes it: it has a state of its own
        UNCLAIMED.remove(s.threadId(), s);
    }

    private static void push(ThreadState state) {
        ThreadState head;
        do {
            head = HEAD.get();
            state.next = head;
        } while (!HEAD.compareAndSet(head, state));
    }

    /**
     * The thread's first probe since its adoption takes the adopted state over. What adoption saw
     * from the stack alone lasts only until then: a budgeted unit (whose exit, in code that was not
     * woven yet, will never run) and a blocking call (whose end would not be seen either) are
     * dropped, since a probe means the thread moved on; a task or pool job stays, to end as usual.
     */
    private static ThreadState claim(Thread me) {
        ThreadState s = UNCLAIMED.remove(me.getId());
        if (s != null) {
            UnitDetails details = s.details();
            if (details != null && details.budgetedDepth > 0) {
                details.budgetedDepth = 0;
                s.leaveSpan();
            }
            s.blocking = Sites.NONE;
            s.adopted = false;
        }
        return s;
    }


    /**
     * The threads that had a state of their own at one instant: what adoption reads once, rather
     * than searching the registry for each thread it looks at (a JVM with 100,000 virtual threads
     * would make that ten billion steps). A thread in it is known to the woven code and never
     * adopted: its stack need not even be read.
     */
    public static final class Registered {
        private final Set<Long> ids;
        private final ThreadState head;

        private Registered(Set<Long> ids, ThreadState head) {
            this.ids = ids;
            this.head = head;
        }

        public boolean contains(Thread thread) {
            return ids.contains(thread.getId());
        }
    }

    /** One walk of the registry: who has a state of their own now. */
    public static Registered registeredNow() {
        ThreadState head = HEAD.get();
        Set<Long> ids = new HashSet<>();
        for (ThreadState s = head; s != null; s = s.next) {
            if (!s.adopted) {
                ids.add(s.threadId());
            }
        }
        return new Registered(ids, head);
    }

    /**
     * Records, for a thread that is already inside a unit of work when the agent is installed, the
     * span it is in (the instrumentation never saw it enter). Call once the advice is woven, then
     * {@link #settleAdoptions} once for the lot. The thread takes the state over on its first probe,
     * so the span ends as usual when the unit does. A thread registered when {@code seen} was read is
     * left alone; one that registers on its own after that either claims this state (it registers
     * after the push) or is found by {@link #settleAdoptions} (it registered before).
     *
     * @param entry the unit's name ({@code Class.method}), or null: in no unit
     * @param poolJob whether the span is a pool worker's job (ended by its next wait for work)
     * @param blockingSite the {@link Sites} number of the blocking call the thread is in, or
     *     {@link Sites#NONE}
     * @return whether a state was adopted; false when the woven code already knew the thread
     */
    public static boolean adopt(Registered seen, Thread thread, String entry, boolean budgeted, boolean poolJob,
                                int blockingSite) {
        if (seen.contains(thread)) {
            return false; // the woven code already knows this thread: what it recorded is the truth
        }
        ThreadState state = ThreadState.of(thread);
        if (entry != null) {
            state.spanDepth = 1;
            int site = Sites.register(entry, Blocking.NONE);
            if (budgeted) {
                UnitDetails details = state.detailsToWrite();
                details.budgetedDepth = 1;
                details.budgetedEntry = site;
            } else {
                state.taskEntry = (char) site;
            }
        }
        state.blocking = (char) blockingSite;
        if (poolJob) {
            state.set(ThreadState.IN_POOL_JOB);
        }
        state.adopted = true;
        // Findable by its thread before it is linked: a thread that registers in between claims it.
        UNCLAIMED.put(thread.getId(), state);
        push(state);
        return true;
    }

    /**
     * Ends a round of adoption: a thread that registered on its own after {@code seen} was read, and
     * was adopted too, keeps its own state (the truth) and its adopted one is withdrawn. Two walks of
     * the registry, whatever the number adopted.
     *
     * @return the ids of the threads whose adopted states were withdrawn
     */
    public static Set<Long> settleAdoptions(Registered seen) {
        Set<Long> since = new HashSet<>();
        for (ThreadState s = HEAD.get(); s != null && s != seen.head; s = s.next) {
            if (!s.adopted) {
                since.add(s.threadId());
            }
        }
        Set<Long> withdrawn = new HashSet<>();
        if (!since.isEmpty()) {
            for (ThreadState s = HEAD.get(); s != null; s = s.next) {
                if (s.adopted && since.contains(s.threadId())) {
                    withdraw(s);
                    withdrawn.add(s.threadId());
                }
            }
        }
        return withdrawn;
    }

    /** {@link #adopt(Registered, Thread, String, boolean, boolean, int)} for one thread, settled. */
    public static boolean adopt(Thread thread, String entry, boolean budgeted, boolean poolJob, int blockingSite) {
        Registered seen = registeredNow();
        boolean adopted = adopt(seen, thread, entry, budgeted, poolJob, blockingSite);
        return settleAdoptions(seen).isEmpty() && adopted;
    }

    private ThreadStates() {
    }

    /**
     * Whether {@code thread} is virtual. Thread.isVirtual() is Java 21+, so its class tells: both
     * kinds of virtual thread (the JDK's, and the bound one a VM without continuations makes) extend
     * java.lang.BaseVirtualThread.
     */
    public static boolean isVirtual(Thread thread) {
        Class<?> superclass = thread.getClass().getSuperclass();
        return superclass != null && superclass.getName().equals("java.lang.BaseVirtualThread");
    }

    /** The calling thread's state, registering it on first use. */
    public static ThreadState current() {
        Thread me = Thread.currentThread();
        ThreadState state = StateTable.find(me);
        return state != null ? state : register(me);
    }

    /** The most recently registered state; follow {@link ThreadState#next()} for the rest. */
    public static ThreadState head() {
        return HEAD.get();
    }

    /**
     * Unlinks, from {@code from} on, the states of threads that are no longer alive. One call at a
     * time (the sampler's pass, or the watchdog's loop between passes, never both at once: the loop
     * waits for the pass). {@code from} must be a {@link #head()} read before the liveness
     * behind {@code platformAlive} was established: every state from there on belongs to a thread
     * that had started by then, so a platform thread {@code platformAlive} does not know has ended.
     * A virtual thread's state tells by itself. {@code from} itself stays linked, even if dead: it is
     * unlinked on a later call, once newer states sit in front.
     *
     * @param platformAlive whether the platform thread with that id is alive
     * @param askVirtualThreads also ask each virtual thread whether it is alive, for the threads whose
     *     end no probe saw (they started before an agent attached); else only the ends probes saw count.
     *     Asking reads every thread object, so a large crowd makes it worth doing only now and then.
     * @param visitor called with {@code from} and every state that stays linked, in list order: the
     *     sampler's walk, made in the same pass over the list
     * @return how many states remain linked from {@code from} on
     */
    public static int purge(ThreadState from, LongPredicate platformAlive, boolean askVirtualThreads,
                            Consumer<ThreadState> visitor) {
        registrationsAtPurge = registrations; // states registered after this read wait for the next purge
        purgeRequested = false;
        if (from == null) {
            return 0;
        }
        visitor.accept(from);
        int linked = 1;
        int ended = 0;
        ThreadState previous = from;
        ThreadState current = previous.next;
        while (current != null) {
            boolean withdrawn = current.has(ThreadState.WITHDRAWN);
            if (withdrawn || (current instanceof VirtualThreadState
                    ? current.knownEnded(askVirtualThreads) : !platformAlive.test(current.threadId()))) {
                previous.next = current.next;
                if (current.adopted) { // never claimed, so never in the table: its thread ended first
                    UNCLAIMED.remove(current.threadId(), current);
                } else if (!withdrawn) { // a withdrawn one was never in the table either
                    current.threadEnded(); // the thread is gone: the table lets go of the state
                    ended++;
                }
            } else {
                visitor.accept(current);
                previous = current;
                linked++;
            }
            current = previous.next;
        }
        if (ended > 0) {
            StateTable.ended(ended);
        }
        return linked;
    }

    /** {@link #purge(ThreadState, LongPredicate, boolean, Consumer)}, asking everyone, visiting no one. */
    public static int purge(ThreadState from, LongPredicate platformAlive) {
        return purge(from, platformAlive, true, s -> { });
    }
}
