package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.ThreadStates;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blocking calls' weaver on a class shaped like the JDK's ({@link WeaveSubject}), woven and then
 * defined in a loader of its own, where the JVM verifies it: a frame the weaver got wrong fails
 * there. What the woven JDK classes themselves look like to the verifier is checked in a spawned JVM
 * that verifies them too ({@code BlockingCallIT}).
 */
class LeanWeaverTest {

    private static final String SUBJECT = WeaveSubject.class.getName();
    private static Class<?> woven;

    @BeforeAll
    static void weave() throws Exception {
        byte[] original;
        try (InputStream in = WeaveSubject.class.getResourceAsStream("WeaveSubject.class")) {
            original = in.readAllBytes();
        }
        byte[] bytes = LeanWeaver.weave(original, new LeanWeaver.Rows(List.of(
                new BlockingProbes.Probe(Blocking.FILE_IO, SUBJECT, BlockingProbes.Methods.named("read", "readNested",
                        "readThrows", "readStatic")),
                new BlockingProbes.Probe(Blocking.LOCK, SUBJECT, BlockingProbes.Methods.named("acquire").taking(6),
                        BlockingProbes.Shape.LOCK_ACQUIRE)), List.of(), true)); // and run(Runnable) as a virtual thread's end
        woven = new ClassLoader(LeanWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(SUBJECT)) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }.loadClass(SUBJECT);
    }

    private static Object call(String method, Object... args) throws Throwable {
        Method m = null;
        for (Method candidate : woven.getDeclaredMethods()) {
            if (candidate.getName().equals(method)) {
                m = candidate;
            }
        }
        try {
            return m.invoke(m.getParameterCount() == 4 ? null : woven.getConstructor().newInstance(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static int site(String method, int kind) {
        return Sites.register(SUBJECT + "." + method, kind);
    }

    @Test
    void aWovenMethod_isTheThreadsBlockingCall_whileItRuns_andNoLonger() throws Throwable {
        assertEquals(site("read", Blocking.FILE_IO), call("read"));
        assertEquals(Sites.NONE, ThreadStates.current().blockingSite());
        // Positive control: the same code unwoven says nothing, and a method no row names stays so.
        assertEquals(Sites.NONE, new WeaveSubject().read());
        assertEquals(Sites.NONE, call("write"));
        assertEquals("io.jvmwatchdog.agent.WeaveSubject.read", Sites.name(site("read", Blocking.FILE_IO)));
    }

    @Test
    void aNestedWovenCall_leavesTheOutermostInPlace() throws Throwable {
        int outer = site("readNested", Blocking.FILE_IO);
        assertArrayEquals(new int[] {outer, outer, outer}, (int[]) call("readNested"));
        assertEquals(Sites.NONE, ThreadStates.current().blockingSite());
    }

    @Test
    void aThrowingCall_ends_andItsExceptionGoesOnUnchanged() {
        IOException thrown = assertThrows(IOException.class, () -> call("readThrows"));
        assertEquals("the subject's own", thrown.getMessage());
        assertEquals(Sites.NONE, ThreadStates.current().blockingSite());
    }

    @Test
    void framesWithWideLocalsBranchesAndAHandlerOfItsOwn_runAsBefore() throws Throwable {
        for (String text : List.of("7", "x")) {
            long expected = WeaveSubject.readStatic(5L, 0.75, 9, text);
            assertEquals(expected, call("readStatic", 5L, 0.75, 9, text), text);
        }
        assertEquals(Sites.NONE, ThreadStates.current().blockingSite());
    }

    @Test
    void anAcquisition_isALockWait_onlyWhenNeitherInterruptibleNorTimed() throws Throwable {
        int lock = site("acquire", Blocking.LOCK);
        assertEquals(lock, call("acquire", null, 1, false, false, false, 0L));
        assertEquals(Sites.NONE, call("acquire", null, 1, false, true, false, 0L));
        assertEquals(Sites.NONE, call("acquire", null, 1, false, false, true, 0L));
        assertNotEquals(Sites.NONE, lock);
        assertEquals(Sites.NONE, ThreadStates.current().blockingSite());
    }

    /**
     * The end of a virtual thread's run, woven into a method of that shape: it verifies, runs its
     * task, returns on each path and rethrows what the task threw, unchanged. (That the probe lets a
     * real virtual thread go is {@code VirtualThreadIT}'s: the states of ended threads leave the
     * registry.)
     */
    @Test
    void aVirtualThreadsRunEnd_runsItsTask_andLetsItsExceptionThrough() throws Throwable {
        int[] ran = {0};
        call("run", (Runnable) () -> ran[0]++);
        assertEquals(1, ran[0]);
        call("run", (Runnable) null);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> call("run", (Runnable) () -> {
                    throw new IllegalStateException("the task's own");
                }));
        assertEquals("the task's own", thrown.getMessage());
    }

    @Test
    void aClassThatIsNoClassFile_isRefused_withAnError() {
        assertInstanceOf(RuntimeException.class, assertThrows(Throwable.class,
                () -> LeanWeaver.weave(new byte[] {1, 2, 3}, BlockingProbes.TABLE)));
    }
}
