package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.config.Options;
import java.lang.instrument.ClassFileTransformer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The gate that holds the load of a Byte Buddy row's class until Byte Buddy is in place, and
 * starts Byte Buddy's install when it is first needed. Loads run on
 * threads of their own; the test waits for them to be waiting by their state, with a deadline.
 */
class LoadGateTest {

    /** Byte Buddy's rows: the others are woven before main, with nothing to wait for. */
    private static final LoadFilter FILTER = LoadFilter.of(EarlyInstrumentation.units(Options.defaults(), Set.of())
            .stream().filter(u -> !u.lean()).toList());
    private static final String ROW_CLASS = "org/apache/catalina/connector/CoyoteAdapter";
    private static final byte[] ORIGINAL = {1};
    private static final byte[] WOVEN = {2};
    /** Byte Buddy's transformer, as the gate sees it: it weaves every class it is given. */
    private static final ClassFileTransformer WEAVER = new ClassFileTransformer() {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                java.security.ProtectionDomain domain, byte[] classFile) {
            return WOVEN;
        }
    };

    private final List<String> said = new CopyOnWriteArrayList<>();

    private static CompletableFuture<byte[]> load(LoadGate gate, String className, AtomicReference<Thread> thread) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(gate.transform(null, null, className, null, null, ORIGINAL));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.set(t);
        t.start();
        return result;
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the load never waited: " + thread.getState());
            Thread.onSpinWait();
        }
    }

    @Test
    void aRowClassLoadedBeforeByteBuddy_waits_andIsWovenWhenItIsInPlace() throws Exception {
        LoadGate gate = new LoadGate(FILTER, true, said::add);
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<byte[]> loaded = load(gate, ROW_CLASS, thread);
        awaitWaiting(thread.get());
        assertFalse(loaded.isDone());
        // Byte Buddy's transformer is built but still weaves the loaded classes: retransformations
        // use it, the held load stays held.
        gate.weaveWith(WEAVER);
        assertArrayEquals(WOVEN, gate.transform(null, null, ROW_CLASS, Object.class, null, ORIGINAL));
        assertFalse(loaded.isDone());
        gate.open();
        assertArrayEquals(WOVEN, loaded.get(10, TimeUnit.SECONDS));
        // Once open, a load goes straight to Byte Buddy's transformer.
        assertArrayEquals(WOVEN, gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
        assertEquals(List.of(), said);
    }

    @Test
    void aClassNoRowNames_aRetransformation_andAnAgentThread_neverWait() throws Exception {
        LoadGate gate = new LoadGate(FILTER, true, said::add);
        assertNull(gate.transform(null, null, "com/example/Plain", null, null, ORIGINAL));
        assertNull(gate.transform(null, null, ROW_CLASS, Object.class, null, ORIGINAL));
        CompletableFuture<byte[]> byAgent = new CompletableFuture<>();
        Thread agentThread = AgentThreads.newThread("watchdog-test", () -> {
            try {
                byAgent.complete(gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
            } catch (Throwable e) {
                byAgent.completeExceptionally(e);
            }
        });
        agentThread.start();
        assertNull(byAgent.get(10, TimeUnit.SECONDS));
        // Positive control: the same row class on an application thread does wait.
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<byte[]> loaded = load(gate, ROW_CLASS, thread);
        awaitWaiting(thread.get());
        gate.close();
        assertNull(loaded.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aGateThatDoesNotHold_letsRowClassesGoOnUnwovenUntilOpen() throws Exception {
        LoadGate gate = new LoadGate(FILTER, false, said::add);
        assertNull(gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
        gate.weaveWith(WEAVER);
        assertArrayEquals(WOVEN, gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
    }

    @Test
    void aLoadWaitsAtMostTheBound_thenGoesOnUnwoven_saidOnce() throws Exception {
        long bound = TimeUnit.MILLISECONDS.toNanos(200);
        LoadGate gate = new LoadGate(FILTER, true, bound, said::add);
        long start = System.nanoTime();
        assertNull(gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
        assertTrue(System.nanoTime() - start >= bound, "waited the bound");
        assertNull(gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL));
        assertEquals(1, said.size(), said::toString);
        assertTrue(said.get(0).contains("org.apache.catalina.connector.CoyoteAdapter was loaded while the instrumentation"),
                said::toString);
    }

    @Test
    void anInterruptedWait_endsAtOnce_andKeepsTheInterrupt() throws Exception {
        LoadGate gate = new LoadGate(FILTER, true, said::add);
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                gate.transform(null, null, ROW_CLASS, null, null, ORIGINAL);
                interrupted.complete(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                interrupted.completeExceptionally(e);
            }
        });
        thread.set(t);
        t.start();
        awaitWaiting(t);
        t.interrupt();
        assertTrue(interrupted.get(10, TimeUnit.SECONDS));
    }

    @Test
    void byteBuddyOnDemand_startsOnce_atTheFirstClassOfARowsPackage_whichGoesOnAtOnce() throws Exception {
        LoadGate gate = new LoadGate(FILTER, true, said::add);
        AtomicInteger installs = new AtomicInteger();
        gate.installOnDemand(installs::incrementAndGet);
        assertNull(gate.transform(null, null, "com/example/Plain", null, null, ORIGINAL));
        assertNull(gate.transform(null, null, "java/util/concurrent/ThreadPoolExecutor", null, null, ORIGINAL));
        assertEquals(0, installs.get(), "no library of Byte Buddy's rows yet");
        // A class of the row's package, not the row's: the install starts, the load goes on.
        assertNull(gate.transform(null, null, "org/apache/catalina/connector/Request", null, null, ORIGINAL));
        assertEquals(1, installs.get());
        assertNull(gate.transform(null, null, "jakarta/servlet/GenericFilter", null, null, ORIGINAL));
        assertEquals(1, installs.get(), "once");
    }

    @Test
    void byteBuddyOnDemand_armedAfterARowClassBeganToWait_startsAtOnce() throws Exception {
        LoadGate gate = new LoadGate(FILTER, true, said::add);
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<byte[]> loaded = load(gate, ROW_CLASS, thread);
        awaitWaiting(thread.get());
        AtomicInteger installs = new AtomicInteger();
        gate.installOnDemand(() -> {
            installs.incrementAndGet();
            gate.weaveWith(WEAVER);
            gate.open();
        });
        assertEquals(1, installs.get());
        assertArrayEquals(WOVEN, loaded.get(10, TimeUnit.SECONDS));
    }
}
