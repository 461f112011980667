package io.jvmwatchdog.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The table virtual threads find their states in. The build's tests run on Java 17, without virtual
 * threads, so the table is driven with unstarted thread objects standing for them: it only compares
 * threads and reads their ids. Its rule: a state added is found by its thread in every array the
 * segment has from then on, whatever other threads add and the watchdog sweeps meanwhile.
 */
class StateTableTest {

    @Test
    void eachStateIsFoundByItsThread_throughGrowth_andEndedOnesGoAtTheNextSweep() {
        List<Thread> threads = new ArrayList<>();
        List<ThreadState> states = new ArrayList<>();
        int before = StateTable.entries();
        for (int i = 0; i < 20_000; i++) { // every segment grows several times
            Thread thread = new Thread(() -> { });
            ThreadState state = new VirtualThreadState(thread);
            assertNull(StateTable.find(thread), "no state before it is added");
            StateTable.add(thread, state);
            assertSame(state, StateTable.find(thread));
            threads.add(thread);
            states.add(state);
        }
        assertTrue(StateTable.entries() >= 20_000, "all in (other tests' threads may be in it too)");
        long slotsRead = 0;
        for (int i = 0; i < threads.size(); i++) {
            assertSame(states.get(i), StateTable.find(threads.get(i)), "after growth, thread " + i);
            slotsRead += StateTable.slotsRead(threads.get(i));
        }
        // Ids handed out in sequence, as the JVM does: a hash that clustered them read 3 slots a
        // lookup at this size (6 at a million threads); a well-spread one, about 1.
        double perLookup = (double) slotsRead / threads.size();
        assertTrue(perLookup < 1.5, "slots read per lookup: " + perLookup);
        for (int i = 0; i < threads.size(); i += 2) {
            states.get(i).threadEnded();
        }
        StateTable.ended(10_000);
        assertTrue(StateTable.entries() <= before + 10_000, "the ended half is swept out");
        for (int i = 0; i < threads.size(); i++) {
            ThreadState found = StateTable.find(threads.get(i));
            if (i % 2 == 0) {
                assertNull(found, "an ended thread's state is gone");
            } else {
                assertSame(states.get(i), found, "a live one stays, thread " + i);
            }
        }
        for (int i = 1; i < threads.size(); i += 2) {
            states.get(i).threadEnded();
        }
        StateTable.ended(10_000);
        assertTrue(StateTable.entries() <= before, "and then the rest");
    }

    @Test
    void fewEndsDoNotSweep_theTableWaitsUntilAQuarterOfItIsDead() {
        Thread thread = new Thread(() -> { });
        ThreadState state = new VirtualThreadState(thread);
        StateTable.add(thread, state);
        int entries = StateTable.entries();
        state.threadEnded();
        StateTable.ended(1);
        assertEquals(entries, StateTable.entries(), "one end is not worth a sweep");
        StateTable.ended(Math.max(256, entries / 4));
        assertTrue(StateTable.entries() < entries, "enough ends sweep");
    }

    /**
     * Four threads add states and look their live ones up again and again, while they end old ones
     * and a fifth sweeps the table as fast as it can: no lookup ever misses a live state or finds a
     * wrong one.
     */
    @Test
    void lookupsNeverMissWhileOthersAddAndTheWatchdogSweeps() throws Exception {
        int before = StateTable.entries();
        int workers = 4;
        int perWorker = 30_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger sweeps = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch finished = new CountDownLatch(workers);
        Thread sweeper = new Thread(() -> {
            while (!done.get()) {
                StateTable.ended(1 << 20); // always enough: a sweep of every segment
                sweeps.incrementAndGet();
            }
        });
        sweeper.start();
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread worker = new Thread(() -> {
                try {
                    List<Thread> live = new ArrayList<>();
                    List<ThreadState> liveStates = new ArrayList<>();
                    for (int i = 0; i < perWorker && failures.isEmpty(); i++) {
                        Thread thread = new Thread(() -> { });
                        ThreadState state = new VirtualThreadState(thread);
                        StateTable.add(thread, state);
                        live.add(thread);
                        liveStates.add(state);
                        if (live.size() > 200) { // the oldest ends
                            liveStates.remove(0).threadEnded();
                            live.remove(0);
                        }
                        for (int j = 0; j < live.size(); j += 7) {
                            ThreadState found = StateTable.find(live.get(j));
                            if (found != liveStates.get(j)) {
                                failures.add("a live state was " + (found == null ? "missed" : "mistaken") + " after " + i);
                                break;
                            }
                        }
                    }
                    liveStates.forEach(ThreadState::threadEnded);
                } finally {
                    finished.countDown();
                }
            });
            worker.start();
            running.add(worker);
        }
        finished.await();
        done.set(true);
        sweeper.join();
        for (Thread worker : running) {
            worker.join();
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        assertTrue(sweeps.get() > 10, "positive control: the sweeper ran beside the lookups, " + sweeps.get() + " sweeps");
        StateTable.ended(1 << 20);
        assertTrue(StateTable.entries() <= before, "every ended state swept out: " + StateTable.entries());
    }
}
