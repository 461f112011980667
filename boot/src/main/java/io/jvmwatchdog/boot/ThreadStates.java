package io.jvmwatchdog.boot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The registry of every thread that has passed a probe: a thread-local for the owning thread, and a
 * singly linked list for the watchdog.
 *
 * <p>Registration happens once per thread, on its first probe: one allocation and one CAS on the list
 * head. After that a probe costs one {@link ThreadLocal#get()} and a few plain stores. Only the
 * watchdog's sampler thread unlinks entries ({@link #purgeDead()}), and only interior ones; pushers
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
            return state;
        }
    };

    private static void push(ThreadState state) {
        ThreadState head;
        do {
            head = HEAD.get();
            state.next = head;
        } while (!HEAD.compareAndSet(head, state));
    }

    private static ThreadState claim(Thread me) {
        for (ThreadState s = HEAD.get(); s != null; s = s.next) {
            if (s.adopted && s.get() == me) {
                s.adopted = false;
                unclaimed--; // benign race: only a hint that lets registration skip the search
                return s;
            }
        }
        return null;
    }

    /**
     * Records, for a thread that is already inside a unit of work when the agent is attached, the
     * span it is in (the instrumentation never saw it enter). Call before any advice is woven, from
     * the attaching thread. The thread takes the state over on its first probe, so the span ends
     * as usual when the unit does.
     *
     * @param poolJob whether the span is a pool worker's job (ended by its next wait for work)
     */
    public static void adopt(Thread thread, String entry, boolean budgeted, boolean poolJob) {
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
     * Unlinks the states of threads that have ended. Call from one thread only (the sampler). The head
     * is left in place even if dead: it is unlinked on a later call, once newer threads sit in front.
     *
     * @return how many states remain linked
     */
    public static int purgeDead() {
        ThreadState previous = HEAD.get();
        if (previous == null) {
            return 0;
        }
        int live = 1;
        ThreadState current = previous.next;
        while (current != null) {
            Thread thread = current.get();
            if (thread == null || !thread.isAlive()) {
                previous.next = current.next;
                current.clear();
            } else {
                previous = current;
                live++;
            }
            current = previous.next;
        }
        return live;
    }
}
