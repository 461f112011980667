package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.ThreadStates;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit rows' lean advice ({@link LeanAdvice}) woven into classes shaped like the units
 * ({@link UnitSubject}) and defined in a loader of their own, where the JVM verifies them: each
 * woven method runs as before, and the thread's state shows the unit while it runs and not after.
 * That the real rows weave the real classes is {@code UnitsOfWorkTest}'s and the ITs'.
 */
class LeanWeaverUnitsTest {

    private static final String SUBJECT = UnitSubject.class.getName();
    private static final String INNER = UnitSubject.Inner.class.getName();
    private static final String DETACHED = UnitSubject.Detached.class.getName();
    private static final String POOL_LOOP = "a.Pool.runWorker";
    private static Class<?> subject;
    private static Class<?> inner;
    private static Class<?> detached;

    @BeforeAll
    static void weave() throws Exception {
        LeanWeaver.Rows rows = rows(
                hook(LeanAdvice.TASK, "task", "taskThrows", "taskWithFrames"),
                hook(LeanAdvice.POOL_WAIT.named(POOL_LOOP), "takeJob"),
                hook(LeanAdvice.WORKER_LOOP.named(POOL_LOOP), "runWorker"),
                hook(LeanAdvice.EVENT_LOOP_TASK, "eventTask"),
                // A java.net.URI stands in for a server's request: a class, read in a chain of two calls.
                hook(LeanAdvice.request(new LeanAdvice.RequestName(1, "java/net/URI", true,
                        List.of(LeanAdvice.Invoke.virtual("java/net/URI", "getScheme", "java/lang/String")),
                        List.of(LeanAdvice.Invoke.virtual("java/net/URI", "normalize", "java/net/URI"),
                                LeanAdvice.Invoke.virtual("java/net/URI", "getRawPath", "java/lang/String")))), "serve"),
                // A chain the request's class cannot answer (an interface call on a class): unnamed.
                hook(LeanAdvice.request(new LeanAdvice.RequestName(1, "java/net/URI", false,
                        List.of(LeanAdvice.Invoke.onInterface("java/net/URI", "getScheme", "java/lang/String")),
                        List.of())), "serveWithFrames"));
        Map<String, byte[]> woven = Map.of(
                SUBJECT, LeanWeaver.weave(classFile(UnitSubject.class), rows),
                INNER, LeanWeaver.weave(classFile(UnitSubject.Inner.class), rows(hook(LeanAdvice.ENCLOSED_POOL_TASK, "run"))),
                DETACHED, LeanWeaver.weave(classFile(UnitSubject.Detached.class), rows(hook(LeanAdvice.ENCLOSED_POOL_TASK, "run"))));
        ClassLoader loader = new ClassLoader(LeanWeaverUnitsTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                byte[] bytes = woven.get(name);
                if (bytes == null) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                }
            }
        };
        subject = loader.loadClass(SUBJECT);
        inner = loader.loadClass(INNER);
        detached = loader.loadClass(DETACHED);
    }

    private static LeanWeaver.Rows rows(UnitsOfWork.Hook... hooks) {
        return new LeanWeaver.Rows(List.of(), List.of(hooks), false);
    }

    private static UnitsOfWork.Hook hook(LeanAdvice advice, String... methods) {
        return new UnitsOfWork.Hook(HookMethods.named(methods), advice, false);
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    private static Object call(Object on, String method, Object... args) throws Throwable {
        Class<?> type = on instanceof Class<?> c ? c : on.getClass();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(on instanceof Class<?> ? null : on, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no " + method);
    }

    private static Object newSubject() throws Exception {
        return subject.getConstructor().newInstance();
    }

    @AfterEach
    void noUnitLeftOpen() {
        Probes.jobEnd(); // a job a test began on purpose
        assertFalse(ThreadStates.current().isWatched(), UnitSubject.seen());
        assertFalse(ThreadStates.current().isBudgeted(), UnitSubject.seen());
    }

    @Test
    void aTask_isTheThreadsUnit_whileItRuns_andNoLonger() throws Throwable {
        assertEquals("true false " + SUBJECT + ".task null null", call(newSubject(), "task"));
        // Positive control: the same code unwoven shows no unit.
        assertTrue(new UnitSubject().task().startsWith("false false "), new UnitSubject().task());
    }

    @Test
    void aThrowingTask_ends_andItsExceptionGoesOnUnchanged() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> call(newSubject(), "taskThrows"));
        assertEquals("the task's own", thrown.getMessage());
    }

    @Test
    void framesWithWideLocalsBranchesAndAHandlerOfItsOwn_runAsBefore() throws Throwable {
        for (String text : List.of("7", "x")) {
            assertEquals(UnitSubject.taskWithFrames(5L, 0.75, 9, text), call(subject, "taskWithFrames", 5L, 0.75, 9, text));
        }
    }

    @Test
    void aWaitForWork_thatReturnsAJob_beginsOne_namedByThePoolsLoop_andNamingThePool() throws Throwable {
        Object pool = newSubject();
        assertEquals(null, call(pool, "takeJob", false));
        assertFalse(ThreadStates.current().isWatched(), "no job returned, no job begun");
        assertEquals("job", call(pool, "takeJob", true));
        assertEquals("true false " + POOL_LOOP + " the subject null", UnitSubject.seen());
    }

    @Test
    void aWorkersRunLoop_isAJob_untilItEnds() throws Throwable {
        assertEquals("true false " + POOL_LOOP + " the subject null", call(newSubject(), "runWorker"));
    }

    @Test
    void anEventLoopTask_isBudgeted_andNamedByItsClass() throws Throwable {
        Runnable task = () -> { };
        assertEquals("true true " + SUBJECT + ".eventTask null " + task.getClass(), call(subject, "eventTask", task));
    }

    @Test
    void aTaskOfAnInnerClass_namesItsEnclosingPool() throws Throwable {
        Object pool = newSubject();
        Object task = inner.getConstructor(subject).newInstance(pool);
        assertEquals("true false " + INNER + ".run the subject null", call(task, "run"));
    }

    @Test
    void anAdviceThatReadsWhatTheMethodLacks_failsTheClassesWeave() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LeanWeaver.weave(
                classFile(UnitSubject.class), rows(hook(LeanAdvice.EVENT_LOOP_TASK, "primitive"))));
        assertTrue(e.getMessage().contains("primitive"), e.getMessage());
    }

    @Test
    void aRequest_isABudgetedUnit_namedByItsMethodAndPath_readOnTheRequest() throws Throwable {
        Object server = newSubject();
        assertEquals("true http /a%20b/c", call(server, "serve", 1L, java.net.URI.create("http://h/a%20b/./c?secret=1")));
        // Positive control: unwoven, no request.
        assertEquals("false null null", new UnitSubject().serve(1L, java.net.URI.create("http://h/x")));
    }

    @Test
    void aRequestOfAnotherType_orOneTheChainCannotRead_isStillAUnit_unnamed() throws Throwable {
        Object server = newSubject();
        assertEquals("true null null", call(server, "serve", 1L, "not a URI"));
        assertEquals("true null null", call(server, "serveWithFrames", 1L, java.net.URI.create("http://h/x")));
        assertEquals("negative true null null", call(server, "serveWithFrames", -1L, java.net.URI.create("http://h/x")));
    }

    @Test
    void aRequestInsideANamedOne_keepsTheOuterName() throws Throwable {
        Object server = newSubject();
        io.jvmwatchdog.boot.ThreadState outer = Probes.enterRequest(0, "GET", "/outer");
        try {
            assertEquals("true GET /outer", call(server, "serve", 1L, java.net.URI.create("http://h/inner")));
        } finally {
            Probes.exitBudgeted(outer);
        }
    }

    @Test
    void aTaskWithNoEnclosingInstance_isStillATask_itsPoolUnnamed() throws Throwable {
        assertEquals("true false " + DETACHED + ".run null null", call(detached.getConstructor().newInstance(), "run"));
    }

    /**
     * A loader that does not reach the boot runtime (JBoss Modules without it in its system packages)
     * gets its classes left as they are, said once: woven, each would throw NoClassDefFoundError.
     */
    @Test
    void aLoaderThatCannotReachTheRuntime_hasItsClassesLeftAlone_saidOnce() throws Exception {
        List<String> said = new java.util.ArrayList<>();
        UnitsOfWork.Unit row = new UnitsOfWork.Unit(SUBJECT, UnitsOfWork.Match.BY_NAME, UnitsOfWork.EVERY_JDK, null,
                List.of(hook(LeanAdvice.TASK, "task")));
        LeanWeaver weaver = new LeanWeaver(null, List.of(), false, List.of(row), false, said::add,
                java.util.concurrent.ConcurrentHashMap.newKeySet());
        byte[] original = classFile(UnitSubject.class);
        String internal = SUBJECT.replace('.', '/');
        try (java.net.URLClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            assertEquals(null, weaver.transform(null, isolated, internal, null, null, original));
            assertEquals(null, weaver.transform(null, isolated, internal, null, null, original));
        }
        assertEquals(1, said.size(), said::toString);
        assertTrue(said.get(0).contains("cannot reach the agent's runtime"), said::toString);
        // Positive control: the test's own loader reaches it, and the class is woven.
        assertTrue(weaver.transform(null, getClass().getClassLoader(), internal, null, null, original) != null);
    }
}
