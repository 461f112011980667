package io.jvmwatchdog.boot;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;

/**
 * The registry of every thread that has passed a probe: a thread-local for the owning thread, and a
 * singly linked list for the watchdog.
 *
 * <p>Registration happens once per thread, on its first probe: one allocation and one CAS on the list
 * head. After that a probe costs one {@link ThreadLocal#get()} and a few plain stores. Only the
 * watchdog's sampler thread unlinks entries ({@link #purge}), and only interior ones; pushers
 * only ever touch the head, so the two never write the same field.
 */
public final class ThreadStates {

    private static final AtomicReference<ThreadState> HEAD = new AtomicReference<>();
    /** How many adopted states wait to be claimed: while zero, registration skips the search. */
    private static volatile int unclaimed;

    // An anonymous class rather than ThreadLocal.withInitial(lambda): no invokedynamic in the boot
    // runtime, which may be first used from inside advice on a JDK class.
    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<>() {
        @Override
        protected ThreadState initialValue() {
            Thread me = Thread.currentThread();
            if (unclaimed > 0) {
                ThreadState adopted = claim(me);
                if (adopted != null) {
                    return adopted;
                }
            }
            ThreadState state = new ThreadState(me);
            push(state);
            if (unclaimed > 0) {
                withdrawAdopted(me); // adopted while this was being made: this state is the truth
            }
            return state;
        }
    };

    /** The registered state of {@code thread} that is ({@code adopted}) or is not an unclaimed adoption. */
    private static ThreadState find(Thread thread, boolean adopted) {
        for (ThreadState s = HEAD.get(); s != null; s = s.next) {
            if (s.adopted == adopted && s.threadId() == thread.getId()) {
                return s;
            }
        }
        return null;
    }

    /** Withdraws an unclaimed adopted state of {@code thread}: it stays linked, idle, until purged. */
    private static void withdrawAdopted(Thread thread) {
        ThreadState s = find(thread, true);
        if (s != null) {
            s.adopted = false;
            s.spanDepth = 0;
            s.budgetedDepth = 0;
            s.inPoolJob = false;
            unclaimed--; // benign race: only a hint
        }
    }

    /** Whether {@code thread} has a state of its own (made by its first probe, not by adoption). */
    private static boolean registered(Thread thread) {
        return find(thread, false) != null;
    }

    private static void push(ThreadState state) {
        ThreadState head;
        do {
            head = HEAD.get();
            state.next = head;
        } while (!HEAD.compareAndSet(head, state));
    }

    private static ThreadState claim(Thread me) {
        ThreadState s = find(me, true);
        if (s != null) {
            s.adopted = false;
            unclaimed--; // benign race: only a hint that lets registration skip the search
        }
        return s;
    }

    /**
     * Records, for a thread that is already inside a unit of work when the agent is installed, the
     * span it is in (the instrumentation never saw it enter). Call once the advice is woven. The
     * thread takes the state over on its first probe, so the span ends as usual when the unit does.
     * A thread already registered is left alone. If it registers on its own while this runs, one of
     * the two sides sees the other's state after pushing its own (both push through the same CAS) and
     * withdraws the adopted one.
     *
     * @param poolJob whether the span is a pool worker's job (ended by its next wait for work)
     */
    public static void adopt(Thread thread, String entry, boolean budgeted, boolean poolJob) {
        if (registered(thread)) {
            return; // the woven code already knows this thread: what it recorded is the truth
        }
        ThreadState state = new ThreadState(thread);
        state.spanDepth = 1;
        int site = Sites.register(entry, Blocking.NONE);
        if (budgeted) {
            state.budgetedDepth = 1;
            state.budgetedEntry = site;
        } else {
            state.taskEntry = site;
        }
        state.inPoolJob = poolJob;
        state.adopted = true;
        unclaimed++;
        push(state);
        if (registered(thread)) {
            withdrawAdopted(thread); // it registered on its own meanwhile
        }
    }

    private ThreadStates() {
    }

    /** The calling thread's state, registering it on first use. */
    public static ThreadState current() {
        return CURRENT.get();
    }

    /** The most recently registered state; follow {@link ThreadState#next()} for the rest. */
    public static ThreadState head() {
        return HEAD.get();
    }

    /**
     * Unlinks, from {@code from} on, the states of threads that are no longer alive. Call from one
     * thread only (the sampler). {@code from} must be a {@link #head()} read before the liveness
     * behind {@code alive} was established: every state from there on belongs to a thread that had
     * started by then, so a thread {@code alive} does not know has ended. {@code from} itself stays
     * linked, even if dead: it is unlinked on a later call, once newer states sit in front.
     *
     * @param alive whether the thread with that id is alive
     */
    public static void purge(ThreadState from, LongPredicate alive) {
        if (from == null) {
            return;
        }
        ThreadState previous = from;
        ThreadState current = previous.next;
        while (current != null) {
            if (!alive.test(current.threadId())) {
                previous.next = current.next;
            } else {
                previous = current;
            }
            current = previous.next;
        }
    }
}
