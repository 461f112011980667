package io.jvmwatchdog.core.jvm;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The live platform threads, as the thread groups list them: a copy of references, with no VM
 * operation and no safepoint (unlike {@code Thread.getAllStackTraces()}). Virtual threads are not
 * listed. One instance per sampler thread: the buffer is reused between passes.
 */
public final class LiveThreads {

    private Thread[] buffer = new Thread[256];

    LiveThreads() {
    }

    /** The live platform thread with this id, or null: one listing, as a scan makes it. */
    public static Thread find(long threadId) {
        LiveThreads listing = new LiveThreads();
        int count = listing.enumerate();
        for (int i = 0; i < count; i++) {
            if (listing.buffer[i].getId() == threadId) {
                return listing.buffer[i];
            }
        }
        return null;
    }

    /** The live platform threads, as one listing finds them (no VM operation). */
    public static List<Thread> platformThreads() {
        LiveThreads listing = new LiveThreads();
        int count = listing.enumerate();
        return List.of(Arrays.copyOf(listing.buffer, count));
    }

    /** The ids of the live platform threads, as one listing finds them. */
    public static long[] platformIds() {
        return platformIdsBut(null);
    }

    /**
     * The ids of the live platform threads but {@code left} (null for none). Plain loops: a launch
     * calls it before {@code main}, where a lambda would spin its classes on the start's path.
     */
    public static long[] platformIdsBut(Thread left) {
        LiveThreads listing = new LiveThreads();
        int count = listing.enumerate();
        long[] ids = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (listing.buffer[i] != left) {
                ids[n++] = listing.buffer[i].getId();
            }
        }
        return n == count ? ids : Arrays.copyOf(ids, n);
    }

    private final LongSet alive = new LongSet();
    private final LongSet carriers = new LongSet();
    private final Set<Long> blocked = new HashSet<>();

    /**
     * Lists the live threads now: their ids ({@link #isAlive}) and those blocked entering a monitor
     * ({@link #blockedOnMonitorEntry}). {@link Thread#getState()} reads the thread's status field, so
     * a scan of ten thousand threads costs microseconds; only the threads that matter are then
     * asked about through ThreadMXBean.
     */
    void scan() {
        int count = enumerate();
        alive.clear();
        carriers.clear();
        blocked.clear();
        for (int i = 0; i < count; i++) {
            Thread t = buffer[i];
            buffer[i] = null; // hold no thread past the scan
            alive.add(t.getId());
            if (isCarrier(t)) {
                // It runs virtual threads, which are judged themselves; while one is mounted, the
                // carrier's state is that thread's (blocked on its monitor, say), never its own doing.
                carriers.add(t.getId());
            } else if (t.getState() == Thread.State.BLOCKED) {
                blocked.add(t.getId());
            }
        }
    }

    /** The JDK's virtual-thread scheduler runs on threads of this class (Java 21+). */
    private static boolean isCarrier(Thread t) {
        return t.getClass().getName().equals("jdk.internal.misc.CarrierThread");
    }

    /** Whether the thread was a carrier of virtual threads at the last {@link #scan()}. */
    boolean isCarrier(long threadId) {
        return carriers.contains(threadId);
    }

    /** Whether the thread was alive at the last {@link #scan()}. */
    boolean isAlive(long threadId) {
        return alive.contains(threadId);
    }

    /** Ids of the threads blocked entering a monitor at the last {@link #scan()}. */
    Set<Long> blockedOnMonitorEntry() {
        return blocked;
    }

    private int enumerate() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        while (true) {
            int wanted = root.activeCount() + 64;
            if (buffer.length < wanted) {
                buffer = new Thread[Math.max(wanted, buffer.length * 2)];
            }
            int count = root.enumerate(buffer, true);
            if (count < buffer.length) {
                return count;
            }
            buffer = new Thread[buffer.length * 2]; // threads started meanwhile filled it: again
        }
    }
}
