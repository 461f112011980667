package io.jvmwatchdog.core.detect;

import io.jvmwatchdog.core.model.ChainLink;
import io.jvmwatchdog.core.model.ThreadSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Follows "waits on a lock held by" from a thread to the root holder: thread → lock → owner → what
 * the owner waits on → … until a thread that waits on no lock (whose activity ends the chain), a
 * thread seen before (a deadlock cycle), or an owner the pass did not sample.
 */
final class WaitChains {

    /** Longer chains are cut: no real system nests locks this deep, and the report must stay readable. */
    static final int MAX_LINKS = 16;

    private WaitChains() {
    }

    /**
     * @param durationOf time in the current state of a thread id, or -1 if unknown
     * @return the chain, starting with {@code start}; empty when {@code start} waits on no held lock
     */
    static List<ChainLink> from(ThreadSample start, Map<Long, ThreadSample> byId, LongUnaryOperator durationOf) {
        if (start.lock() == null || start.lockOwnerId() < 0) {
            return List.of();
        }
        List<ChainLink> links = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        ThreadSample current = start;
        while (links.size() < MAX_LINKS) {
            seen.add(current.threadId());
            long forNanos = durationOf.applyAsLong(current.threadId());
            if (current.lock() == null || current.lockOwnerId() < 0) {
                links.add(new ChainLink(current.threadId(), current.name(), current.jvmState(), describe(current), forNanos));
                break;
            }
            links.add(new ChainLink(current.threadId(), current.name(), current.jvmState(), current.lock().toString(), forNanos));
            long owner = current.lockOwnerId();
            ThreadSample next = byId.get(owner);
            if (next == null) {
                links.add(new ChainLink(owner, current.lockOwnerName(), null, "not sampled (it ended, or is a virtual thread)", -1));
                break;
            }
            if (seen.contains(owner)) {
                links.add(new ChainLink(owner, next.name(), next.jvmState(), "deadlock: back to the start of the cycle", -1));
                break;
            }
            current = next;
        }
        return List.copyOf(links);
    }

    /** The root holder's activity in words: "running", "in an uninterruptible wait: socket read (...)". */
    static String describe(ThreadSample s) {
        String activity = s.activity().label();
        if (s.waitKind() != null) {
            return activity + ": " + s.waitKind().label() + (s.waitCall() == null ? "" : " (" + s.waitCall() + ")");
        }
        return activity;
    }
}
