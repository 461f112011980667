package io.jvmwatchdog.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProbesTest {

    /** Runs on a fresh thread, so each test starts from a fresh state. */
    private static ThreadState onNewThread(Runnable body) throws InterruptedException {
        AtomicReference<ThreadState> state = new AtomicReference<>();
        Thread t = new Thread(() -> {
            body.run();
            state.set(ThreadStates.current());
        });
        t.start();
        t.join(10_000);
        return state.get();
    }

    @Test
    void taskSpan_watchesTheThreadUntilItLeaves_andCountsTransitions() throws Exception {
        ThreadState s = onNewThread(() -> {
            Probes.enterTask(site("outer.Task.run"));
            Probes.enterTask(site("inner.Task.run"));
            ThreadState st = ThreadStates.current();
            assertTrue(st.isWatched());
            assertFalse(st.isBudgeted());
            assertEquals("outer.Task.run", st.entry(), "the outermost span names the work");
            Probes.exitTask();
            assertTrue(st.isWatched());
            Probes.exitTask();
        });
        assertFalse(s.isWatched());
        assertEquals(4, s.transitions());
    }

    @Test
    void poolJob_runsFromTakingAJobToWaitingForTheNext_andWaitingIsNotWatched() throws Exception {
        ThreadState s = onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.jobBegin(site("pool.runWorker"));   // the first job, at the start of the run loop
            assertTrue(st.isWatched());
            Probes.jobEnd();                      // waits for the next
            assertFalse(st.isWatched());
            Probes.jobEnd();                      // a wait that returned no job, then another
            Probes.jobBegin(site("pool.runWorker"));
            Probes.jobBegin(site("pool.runWorker"));    // at most one job at a time
            Probes.jobEnd();
            assertFalse(st.isWatched());
        });
        assertEquals(6, s.transitions());
    }

    @Test
    void aPoolJobOrTaskNamesItsPool_whileItRuns_andLetsGoOfItAfter() throws Exception {
        Object pool = new Object();
        onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.jobBegin(site("pool.runWorker"), pool);
            assertSame(pool, st.poolOfJob());
            Probes.jobEnd();
            assertNull(st.poolOfJob());
            assertNull(st.details().pool, "nothing of a finished job stays reachable");
            ThreadState task = Probes.enterPoolTask(site("fj.doExec"), pool);
            Probes.exitTask(Probes.enterTask(site("inner.run"))); // a nested unit keeps the outer's pool
            assertSame(pool, st.poolOfJob());
            Probes.exitTask(task);
            assertNull(st.poolOfJob());
            assertNull(st.details().pool);
        });
    }

    @Test
    void aJobTakenFromAQueue_runsUntilTheNextWait_andAKnownUnitTakesItsPlace() throws Exception {
        onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            int take = site("queue.take");
            Probes.queueWaitBegins();
            assertFalse(st.isWatched(), "waiting for work is idle");
            Probes.queueJobBegins(take);
            assertTrue(st.isWatched());
            assertEquals("queue.take", st.entry(), "the job is named by the queue it came from");
            Probes.queueWaitBegins();
            assertFalse(st.isWatched(), "the next wait ends it");
            // A pool worker's wait for work takes from a queue too: its own job replaces the queue's.
            Probes.queueJobBegins(take);
            Probes.jobBegin(site("pool.runWorker"));
            assertEquals("pool.runWorker", st.entry());
            Probes.jobEnd();
            assertFalse(st.isWatched(), "no queue job left open under the pool's");
            // Inside a unit, taking from a queue is part of that unit's work.
            ThreadState task = Probes.enterTask(site("task.run"));
            Probes.queueJobBegins(take);
            Probes.queueWaitBegins();
            assertTrue(st.isWatched());
            Probes.exitTask(task);
            assertFalse(st.isWatched());
        });
    }

    @Test
    void adoptedState_isWatchedAtOnce_andClaimedByItsThreadOnItsFirstProbe() throws Exception {
        ThreadState state = adoptThenProbe(worker -> assertTrue(ThreadStates.adopt(worker, "pool.runWorker", false, true, Sites.NONE)),
                adopted -> assertTrue(adopted.isWatched()),
                Probes::jobEnd); // its job ends at its next wait for work, like any other
        assertFalse(state.isWatched());
    }

    /**
     * A request or a blocking call found on the stack at install is watched until the thread's first
     * probe: its end runs in code that was not woven, so after a probe it would never be seen.
     */
    @Test
    void adoptedRequestAndBlockingCall_lastUntilTheThreadsFirstProbe() throws Exception {
        int read = Sites.register("sun.nio.ch.NioSocketImpl.read", Blocking.SOCKET_READ);
        ThreadState state = adoptThenProbe(worker -> ThreadStates.adopt(worker, "com.example.Servlet.service", true, false, read),
                adopted -> {
                    assertTrue(adopted.isBudgeted());
                    assertEquals("com.example.Servlet.service", adopted.entry());
                    assertEquals(read, adopted.blockingSite());
                },
                () -> { });
        assertFalse(state.isBudgeted(), "the request's end would never be seen: dropped");
        assertFalse(state.isWatched());
        assertEquals(Sites.NONE, state.blockingSite());
    }

    /**
     * Adopts a new thread with {@code adopt}, checks the adopted state with {@code whileAdopted}, then
     * lets the thread make one probe (claiming the state) and run {@code afterProbe}.
     *
     * @return the state, once the thread has ended; checked to be the one adopted
     */
    private static ThreadState adoptThenProbe(java.util.function.Consumer<Thread> adopt,
                                              java.util.function.Consumer<ThreadState> whileAdopted,
                                              Runnable afterProbe) throws Exception {
        java.util.concurrent.CountDownLatch adopted = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<ThreadState> claimed = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                adopted.await();
            } catch (InterruptedException e) {
                return;
            }
            Probes.pet();
            claimed.set(ThreadStates.current());
            afterProbe.run();
        });
        worker.start();
        adopt.accept(worker);
        ThreadState state = ThreadStates.head();
        assertEquals(worker.getId(), state.threadId());
        whileAdopted.accept(state);
        adopted.countDown();
        worker.join(10_000);
        assertSame(state, claimed.get(), "one state per thread: the adopted one is claimed");
        return state;
    }

    @Test
    void adoption_leavesAThreadTheWovenCodeAlreadyKnowsAlone() throws Exception {
        java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch adopted = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            Probes.jobEnd(); // idle in its pool, as its own (woven) probes say
            registered.countDown();
            try {
                adopted.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        worker.start();
        registered.await();
        ThreadState own = ThreadStates.head();
        assertFalse(ThreadStates.adopt(worker, "pool.runWorker", false, true, Sites.NONE), "not adopted: known");
        adopted.countDown();
        worker.join(10_000);
        assertSame(own, ThreadStates.head(), "no second state was made for the thread");
        assertFalse(own.isWatched(), "its own record (idle) stands");
    }

    /**
     * Adoption reads the registry once ({@link ThreadStates#registeredNow}); a thread that registers
     * on its own after that look and is then adopted keeps its own state: settling withdraws the
     * adopted one, so the thread is not left in a unit it never entered.
     */
    @Test
    void aThreadThatRegistersAfterAdoptionsLook_keepsItsOwnState_whenTheRoundIsSettled() throws Exception {
        java.util.concurrent.CountDownLatch looked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                looked.await();
                Probes.jobEnd(); // idle in its pool, as its own (woven) probes say
                registered.countDown();
                settled.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        worker.start();
        ThreadStates.Registered seen = ThreadStates.registeredNow();
        assertFalse(seen.contains(worker));
        looked.countDown();
        registered.await();
        assertTrue(ThreadStates.adopt(seen, worker, "pool.runWorker", false, true, Sites.NONE), "the look predates it");
        ThreadState adopted = ThreadStates.head();
        assertEquals(worker.getId(), adopted.threadId());
        assertTrue(adopted.isWatched(), "positive control: adopted into a job");
        assertEquals(java.util.Set.of(worker.getId()), ThreadStates.settleAdoptions(seen));
        assertFalse(adopted.isWatched(), "withdrawn: the thread's own record (idle) stands");
        assertTrue(ThreadStates.registeredNow().contains(worker), "its own state is registered");
        assertEquals(2, statesOf(worker), "positive control: both states linked before a purge");
        onNewThread(ThreadStates::current); // a newer head: purge leaves its starting state linked
        ThreadStates.purge(ThreadStates.head(), id -> true);
        assertEquals(1, statesOf(worker), "the withdrawn state is unlinked while its thread lives on");
        assertTrue(ThreadStates.registeredNow().contains(worker), "and its own state stays");
        settled.countDown();
        worker.join(10_000);
    }

    /** An ended platform thread's state leaves the registry at a purge, and the table at its sweep. */
    @Test
    void anEndedPlatformThreadsStateLeavesTheTableOnceUnlinked() throws Exception {
        AtomicReference<ThreadState> own = new AtomicReference<>();
        Thread worker = new Thread(() -> own.set(ThreadStates.current()));
        worker.start();
        worker.join(10_000);
        assertSame(own.get(), StateTable.find(worker), "positive control: in the table while linked");
        onNewThread(ThreadStates::current); // a newer head: purge leaves its starting state linked
        ThreadStates.purge(ThreadStates.head(), id -> id != worker.getId());
        assertEquals(0, statesOf(worker), "unlinked: its thread ended");
        StateTable.ended(1 << 20); // as many ends as it takes to sweep now
        assertNull(StateTable.find(worker), "and gone from the table");
    }

    private static int statesOf(Thread thread) {
        int count = 0;
        for (ThreadState s = ThreadStates.head(); s != null; s = s.next()) {
            count += s.threadId() == thread.getId() ? 1 : 0;
        }
        return count;
    }

    @Test
    void budgetedSpan_insideATask_isBudgetedAndNamesItself() throws Exception {
        ThreadState s = onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.enterTask(site("pool.runWorker"));
            Probes.enterBudgeted(site("com.example.Worker.process"));
            assertTrue(st.isBudgeted());
            assertEquals("com.example.Worker.process", st.entry());
            Probes.exitBudgeted();
            assertFalse(st.isBudgeted());
            assertTrue(st.isWatched());
            assertEquals("pool.runWorker", st.entry());
        });
        assertTrue(s.isWatched(), "the task was never left");
    }

    @Test
    void exitsWithoutEntries_neverGoBelowZero() throws Exception {
        ThreadState s = onNewThread(() -> {
            Probes.exitTask();
            Probes.exitBudgeted();
            Probes.jobEnd();
            Probes.enterTask(site("a.B.c"));
        });
        assertTrue(s.isWatched(), "an attach mid-span leaves no negative depth behind");
    }

    @Test
    void pet_isProgress() throws Exception {
        ThreadState s = onNewThread(() -> {
            int before = ThreadStates.current().transitions();
            Probes.pet();
            assertNotEquals(before, ThreadStates.current().transitions());
        });
        assertEquals(1, s.transitions());
    }

    @Test
    void registry_listsLiveThreads_andPurgeUnlinksEndedOnes() throws Exception {
        ThreadState ended = onNewThread(() -> Probes.pet());
        ThreadState mine = ThreadStates.current();
        java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread newest = new Thread(() -> {
            Probes.pet();
            registered.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        newest.start();
        registered.await();
        try {
            ThreadState from = ThreadStates.head();
            assertEquals(newest.getId(), from.threadId(), "the newest registration is the head");
            assertTrue(contains(ended));
            java.util.Set<Long> alive = new java.util.HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                alive.add(t.getId());
            }
            ThreadStates.purge(from, alive::contains);
            assertFalse(contains(ended), "the ended thread's state is unlinked");
            assertTrue(contains(mine));
            assertTrue(contains(from), "the head a purge starts from stays");
        } finally {
            done.countDown();
            newest.join(10_000);
        }
    }

    /**
     * Java 17 has no virtual threads, so a platform thread stands in for one: the state kind is what
     * decides how its end is known.
     */
    @Test
    void virtualThreadState_isUnlinkedWhenItsRunEnds_orWhenAskedAndTheThreadIsDead() throws Exception {
        Thread finished = new Thread(() -> { });
        finished.start();
        finished.join();
        Thread running = new Thread(() -> { });
        VirtualThreadState endSeen = new VirtualThreadState(running);
        VirtualThreadState endUnseen = new VirtualThreadState(finished);
        VirtualThreadState live = new VirtualThreadState(Thread.currentThread());
        endSeen.threadEnded();
        ThreadState head = ThreadStates.current();
        for (ThreadState s : new ThreadState[] {endSeen, endUnseen, live}) {
            s.next = head.next; // linked right behind this thread's state, as if registered earlier
            head.next = s;
        }
        try {
            assertEquals(-1, endSeen.threadId(), "an ended virtual thread's state lets go of it");
            assertNull(endSeen.virtualThread());
            java.util.List<ThreadState> visited = new java.util.ArrayList<>();
            ThreadStates.purge(head, id -> true, false, visited::add);
            assertFalse(contains(endSeen), "an end the probe saw unlinks the state at once");
            assertTrue(contains(endUnseen), "without asking the thread, an unseen end is not known");
            assertTrue(visited.contains(live) && visited.contains(endUnseen) && !visited.contains(endSeen));
            ThreadStates.purge(head, id -> true, true, s -> { });
            assertFalse(contains(endUnseen), "asked, the dead thread says so");
            assertTrue(contains(live));
            assertSame(Thread.currentThread(), live.virtualThread());
        } finally {
            live.threadEnded();
            ThreadStates.purge(head, id -> true);
        }
    }

    @Test
    void virtualThreadEnds_makesNoStateForAThreadThatHasNone() throws Exception {
        ThreadState before = ThreadStates.head();
        Thread t = new Thread(() -> Probes.virtualThreadEnds(Thread.currentThread()));
        t.start();
        t.join(10_000);
        assertSame(before, ThreadStates.head(), "nothing was registered");
    }

    @Test
    void pinnedPark_isFlaggedUntilItEnds() throws Exception {
        ThreadState s = onNewThread(() -> {
            ThreadState st = Probes.pinnedParkBegin();
            assertTrue(st.isPinnedPark());
            Probes.pinnedParkEnd(st);
        });
        assertFalse(s.isPinnedPark());
    }

    @Test
    void ready_callsTheListenerOnce() {
        int[] calls = {0};
        Probes.setReadyListener(() -> calls[0]++);
        Probes.ready();
        Probes.ready();
        assertEquals(1, calls[0]);
        assertTrue(Probes.isReadySignalled());
    }

    private static boolean contains(ThreadState wanted) {
        for (ThreadState s = ThreadStates.head(); s != null; s = s.next()) {
            if (s == wanted) {
                return true;
            }
        }
        return false;
    }

    @Test
    void request_isBudgeted_namedByTheOutermostUnitThatKnows_andForgottenWhenItEnds() throws Exception {
        ThreadState s = onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.enterTask(site("pool.runJob"));
            Probes.enterRequest(site("server.Server.handle"), "GET", "/orders");
            assertTrue(st.isBudgeted());
            assertEquals("server.Server.handle", st.entry());
            Probes.enterRequest(site("app.Servlet.service"), "GET", "/orders/inner");
            assertEquals("/orders", st.requestPath(), "the server's own name of the request stays");
            Probes.exitBudgeted();
            assertEquals("GET", st.requestMethod());
            Probes.exitBudgeted();
            assertNull(st.requestMethod());
            assertNull(st.requestPath());
            assertTrue(st.isWatched(), "still in the pool job");
            Probes.exitTask();
        });
        assertNull(s.details().requestPath);
        assertNull(s.details().subject, "a finished request is not kept reachable");
    }

    @Test
    void eventLoopUnit_keepsItsSubjectWhileInside_andAFirstUnitWithoutNamesLetsALaterOneName() throws Exception {
        Object channel = new Object();
        ThreadState s = onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.enterBudgeted(site("app.Entry.run"));
            Probes.enterEventLoop(site("loop.Unsafe.handle"), channel);
            assertSame(channel, st.unitSubject(), "an outer unit that named nothing leaves the name free");
            Probes.enterEventLoop(site("loop.Executor.runTask"), Runnable.class);
            assertSame(channel, st.unitSubject());
            Probes.exitBudgeted();
            Probes.exitBudgeted();
            Probes.exitBudgeted();
            assertNull(st.unitSubject());
            assertFalse(st.isWatched());
        });
        assertNull(s.details().subject);
    }

    @Test
    void sections_areNamedAtRunTime_andForgetTheirNameWhenLeft() throws Exception {
        ThreadState s = onNewThread(() -> {
            ThreadState st = ThreadStates.current();
            Probes.enterSection("nightly-import");
            Probes.enterSection("inner-step");
            assertEquals("nightly-import", st.entry(), "the outermost section names the unit");
            assertTrue(st.isBudgeted());
            Probes.exitBudgeted();
            Probes.exitBudgeted();
            assertFalse(st.isWatched());
        });
        assertNull(s.details().sectionName, "a left section's name is not kept reachable");
    }

    @Test
    void sites_numberEachNameAndKindOnce() {
        int read = Sites.register("a.Socket.read", Blocking.SOCKET_READ);
        assertEquals(read, Sites.register("a.Socket.read", Blocking.SOCKET_READ));
        assertNotEquals(read, Sites.register("a.Socket.read", Blocking.LOCK), "the kind is part of a site");
        assertEquals("a.Socket.read", Sites.name(read));
        assertEquals(Blocking.SOCKET_READ, Sites.kind(read));
        assertNull(Sites.name(Sites.NONE));
        assertEquals(Blocking.NONE, Sites.kind(Integer.MAX_VALUE), "an unknown number is no blocking call");
        for (int i = 0; i < 200; i++) { // past the first table's size: lookups survive growth
            int id = Sites.register("grow." + i, Blocking.NONE);
            assertEquals("grow." + i, Sites.name(id));
        }
        assertEquals("a.Socket.read", Sites.name(read));
    }

    private static int site(String name) {
        return Sites.register(name, Blocking.NONE);
    }
}
