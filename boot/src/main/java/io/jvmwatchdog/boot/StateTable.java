package io.jvmwatchdog.boot;

/**
 * Where a thread finds its own state: a hash table keyed by the thread, in place of a
 * {@link ThreadLocal}. A thread-local costs every thread the JDK's map entry (32 bytes), and a thread
 * that had no thread-local yet its whole map (104 bytes more: the map and a 16-slot table), which is
 * most virtual threads; here a thread costs one slot of a table kept between a quarter and half full,
 * 8 to 16 bytes. With its 40-byte state, that keeps the agent's whole cost per thread under 64 bytes,
 * whether or not the thread has thread-locals of its own. A lookup costs about what a thread-local's
 * does: the thread's id, hashed, picks a segment and a slot.
 *
 * <p>Concurrency. A slot is looked up only by the thread the state belongs to, without a lock; it is
 * written only under its segment's lock: by the thread itself when it registers (once in its life),
 * and by the watchdog when it sweeps out ended threads' states. Neither ever moves or removes an
 * entry in an array a reader may be walking: a segment that must grow, or lose its ended entries, gets
 * a new array, filled and then put in place, and a live thread's state is in every array from the one
 * it was added to on. A reader that finds nothing looks again under the lock, so a thread always
 * finds its own state, whatever runs beside it; that second look costs only a thread's first probe.
 * Other threads' entries that a reader meets are only compared: a half-published one never matches.
 *
 * <p>An ended thread's state stays in its segment until the segment is rebuilt: when it would grow,
 * or when the watchdog has unlinked a quarter of the table's entries since the last sweep
 * ({@link #ended}), so dead entries are bounded by the live ones and the sweeps' cost is spread
 * over the ends that caused them.
 */
final class StateTable {

    private static final int SEGMENT_BITS = 6;
    /** Registrations of threads whose ids fall in different segments never wait for each other. */
    private static final Segment[] SEGMENTS = new Segment[1 << SEGMENT_BITS];
    private static final int MIN_SLOTS = 16;
    /** Ends below this many since the last sweep are not worth a sweep of the whole table. */
    private static final int MIN_ENDED_FOR_SWEEP = 256;
    /** Ended threads' states unlinked since the last sweep; written by the watchdog's purge only. */
    private static int endedSinceSweep;

    static {
        for (int i = 0; i < SEGMENTS.length; i++) {
            SEGMENTS[i] = new Segment();
        }
    }

    private static final class Segment {
        /**
         * A power of two long, never more than half full; replaced only under the lock, once filled.
         * Read without the lock by a plain read (a volatile one would keep the JIT from treating the
         * lookup as the thread-local read it replaces): a reader that finds nothing, which a thread
         * whose state is in the table can only do on an array it sees half published, looks again
         * under the lock ({@link #find}).
         */
        ThreadState[] slots = new ThreadState[MIN_SLOTS];
        /** Entries in {@link #slots}, live or ended. Guarded by this. */
        int used;
    }

    private StateTable() {
    }

    /**
     * The state {@code thread} added, or null. Call on {@code thread} itself, or where its adds
     * happened before (a virtual thread's end, on its carrier).
     */
    static ThreadState find(Thread thread) {
        int hash = hash(thread.getId());
        Segment segment = segmentOf(hash);
        ThreadState state = find(segment.slots, hash, thread);
        if (state == null) { // a thread's first probe, or an array seen before its contents
            synchronized (segment) {
                state = find(segment.slots, hash, thread);
            }
        }
        return state;
    }

    /**
     * {@link #find} without the locked second look, for a virtual thread's end: a thread that never
     * passed a probe (most ends, in a crowd that only computes) then takes no lock. A miss on an array
     * seen before its contents only leaves the state to the watchdog's {@code isAlive} check.
     */
    static ThreadState findWithoutLock(Thread thread) {
        int hash = hash(thread.getId());
        return find(segmentOf(hash).slots, hash, thread);
    }

    private static Segment segmentOf(int hash) {
        return SEGMENTS[hash >>> (Integer.SIZE - SEGMENT_BITS)];
    }

    private static ThreadState find(ThreadState[] slots, int hash, Thread thread) {
        int mask = slots.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) { // never full: some slot is empty
            ThreadState state = slots[i];
            if (state == null || state.belongsTo(thread)) {
                return state;
            }
        }
    }

    /** Adds the state of {@code thread}, the calling thread, which has none in the table. */
    static void add(Thread thread, ThreadState state) {
        int hash = hash(thread.getId());
        Segment segment = segmentOf(hash);
        synchronized (segment) { // a few stores, or one segment's rebuild (about a millisecond at 16,000 entries)
            ThreadState[] slots = segment.slots;
            boolean grows = (segment.used + 1) * 2 > slots.length;
            if (grows) {
                slots = rebuilt(segment, slots, 1);
            }
            put(slots, hash, state);
            segment.used++;
            if (grows) {
                segment.slots = slots; // put in place once filled
            }
        }
    }

    /**
     * The watchdog's purge unlinked {@code count} ended threads' states (each marked ended, see
     * {@link ThreadState#tableEnded}): sweeps the table once enough of it is dead. Called by the purge
     * only, one call at a time.
     */
    static void ended(int count) {
        endedSinceSweep += count;
        if (endedSinceSweep < MIN_ENDED_FOR_SWEEP) {
            return;
        }
        long used = 0;
        for (Segment segment : SEGMENTS) {
            used += segment.used; // a racy read is as good as a hint needs
        }
        if (endedSinceSweep * 4L >= used) {
            endedSinceSweep = 0;
            for (Segment segment : SEGMENTS) {
                synchronized (segment) {
                    segment.slots = rebuilt(segment, segment.slots, 0);
                }
            }
        }
    }

    /** How many slots a lookup of {@code thread} reads: for the test of the hash's spread. */
    static int slotsRead(Thread thread) {
        int hash = hash(thread.getId());
        ThreadState[] slots = segmentOf(hash).slots;
        int mask = slots.length - 1;
        int read = 1;
        for (int i = slot(hash, mask); slots[i] != null && !slots[i].belongsTo(thread); i = (i + 1) & mask) {
            read++;
        }
        return read;
    }

    /** Entries in the table, live or ended: for tests and the footprint's figures. */
    static int entries() {
        int used = 0;
        for (Segment segment : SEGMENTS) {
            synchronized (segment) {
                used += segment.used;
            }
        }
        return used;
    }

    /**
     * A new array holding the live entries of {@code slots}, sized so that with {@code adding} more
     * it is at most half full. Holds the segment's lock.
     */
    private static ThreadState[] rebuilt(Segment segment, ThreadState[] slots, int adding) {
        int live = 0;
        for (ThreadState state : slots) {
            if (state != null && !state.tableEnded()) {
                live++;
            }
        }
        int length = MIN_SLOTS;
        while (length < (live + adding) * 2) {
            length <<= 1;
        }
        for (;; length <<= 1) { // once more, larger, if more are live now than were counted
            ThreadState[] fresh = new ThreadState[length];
            int kept = 0;
            for (ThreadState state : slots) {
                if (state != null && !state.tableEnded()) { // one that ends meanwhile goes next time
                    if ((kept + 1 + adding) * 2 > length) {
                        kept = -1;
                        break;
                    }
                    put(fresh, state.tableHash(), state);
                    kept++;
                }
            }
            if (kept >= 0) {
                segment.used = kept;
                return fresh;
            }
        }
    }

    private static void put(ThreadState[] slots, int hash, ThreadState state) {
        int mask = slots.length - 1;
        int i = slot(hash, mask);
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = state;
    }

    /**
     * The first slot to try: the hash's bits just below the segment's. The top bits of a Fibonacci
     * hash are its well-spread ones; its low bits, within one segment, follow the ids' sequence and
     * cluster (a simulation of sequential ids: 6.4 probes a lookup at a million threads, against 1.0).
     */
    private static int slot(int hash, int mask) {
        return (hash << SEGMENT_BITS) >>> Integer.numberOfLeadingZeros(mask);
    }

    /** Spreads thread ids, which are handed out in sequence, over segments and slots (Fibonacci hashing). */
    static int hash(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> Integer.SIZE);
    }
}
