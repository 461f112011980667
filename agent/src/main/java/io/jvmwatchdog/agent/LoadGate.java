package io.jvmwatchdog.agent;

import io.jvmwatchdog.core.base.AgentThreads;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Byte Buddy's place among the JVM's class file transformers, taken before Byte Buddy exists. A
 * launch installs Byte Buddy on a thread of its own while {@code main} runs (it costs most of a
 * second); until it is in place, the load of a class a unit row weaves (an executor, a queue, a
 * server's class, an {@code entry=} method's) waits here for it, at most {@link #WAIT_NANOS}, and is
 * then woven as it loads. So nothing an application runs is left unwoven by the early start of
 * {@code main}: a class cannot run before it is loaded. Classes no row names, nearly all of them,
 * never wait (one look at the name, see {@link LoadFilter}); neither do the agent's own threads,
 * among them the one installing Byte Buddy, whose loads Byte Buddy's look at the loaded classes
 * weaves when it is in place.
 *
 * <p>Byte Buddy's transformer is handed to this gate ({@link #weaveWith}) rather than registered
 * itself: the JVM calls the transformers registered when a load began, so a load that waited here
 * must be woven from here, and a second registration would weave later loads twice. A virtual
 * thread that waits here stays on its carrier (a class load is a native frame), which is why the
 * wait is bounded.
 */
final class LoadGate implements ClassFileTransformer {

    /**
     * The longest a load waits for Byte Buddy. An install takes about a second at rest on a 2-core
     * machine and up to 4 s under load; past this a class goes on unwoven (woven, with what runs it
     * adopted, when the install ends) rather than hold the application longer.
     */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LoadFilter filter;
    private final long waitNanos;
    private final Consumer<String> say;
    private final AtomicBoolean toldLate = new AtomicBoolean();
    private final Object lock = new Object();
    /** Whether loads wait: only while a launch installs Byte Buddy beside {@code main}. */
    private volatile boolean holding;
    /** Byte Buddy's transformer (behind its load filter), once built. */
    private volatile ClassFileTransformer weaver;
    /** What installs Byte Buddy when it is first needed, or null: not installed on demand (yet). */
    private volatile Runnable installOnDemand;
    /** Whether a class of a row's library was seen loading. */
    private volatile boolean needed;
    private final AtomicBoolean installStarted = new AtomicBoolean();

    LoadGate(LoadFilter filter, boolean holding, Consumer<String> say) {
        this(filter, holding, WAIT_NANOS, say);
    }

    /** @param waitNanos the longest a load waits (tests give less than {@link #WAIT_NANOS}) */
    LoadGate(LoadFilter filter, boolean holding, long waitNanos, Consumer<String> say) {
        this.filter = filter;
        this.holding = holding;
        this.waitNanos = waitNanos;
        this.say = say;
    }

    /** Whether loads of Byte Buddy's rows' classes wait for it (until it is in place). */
    boolean holds() {
        return holding;
    }

    /**
     * Byte Buddy's transformer is built: retransformations, and the loads nothing holds, are woven
     * with it from now on. Loads held stay held until {@link #open}: Byte Buddy is still weaving the
     * classes already loaded, and a class whose load went on now would be among them, woven twice.
     */
    void weaveWith(ClassFileTransformer weaver) {
        this.weaver = weaver;
    }

    /** Byte Buddy is in place: the loads waiting go on, woven. */
    void open() {
        release();
    }

    /** The install ended without Byte Buddy (it failed): nothing waits any more. */
    void close() {
        release();
    }

    private void release() {
        synchronized (lock) {
            holding = false;
            lock.notifyAll();
        }
    }

    /**
     * Byte Buddy is installed only once it is needed: {@code install} runs (once, and it must only
     * start the install elsewhere) when the first class of a package of a Byte Buddy row's class
     * loads (the library is coming: the install runs beside its start), or at the latest when a
     * row's class itself loads, which waits here for it. A service with none of those libraries
     * (a plain executor service, Quarkus on Vert.x) never pays Byte Buddy's second of CPU.
     */
    void installOnDemand(Runnable install) {
        installOnDemand = install;
        if (needed) {
            startInstall();
        }
    }

    private void startInstall() {
        Runnable install = installOnDemand;
        if (install != null && installStarted.compareAndSet(false, true)) {
            install.run();
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
        if (holding && classBeingRedefined == null) {
            boolean wanted = filter.wants(loader, className, classFile);
            if (!needed && (wanted || filter.foreshadows(className))) {
                needed = true;
                startInstall();
            }
            if (wanted && !AgentThreads.isAgentThread(Thread.currentThread().getId())) {
                awaitOpen(className);
            }
        }
        ClassFileTransformer target = weaver;
        return target == null ? null : target.transform(module, loader, className, classBeingRedefined, domain, classFile);
    }

    private void awaitOpen(String className) {
        long start = System.nanoTime();
        synchronized (lock) {
            try {
                for (long left = waitNanos; holding && left > 0; left = waitNanos - (System.nanoTime() - start)) {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the application's to see; the class goes on unwoven
            }
        }
        if (holding && weaver == null && toldLate.compareAndSet(false, true)) {
            say.accept("JVM Watchdog: " + className.replace('/', '.') + " was loaded while the instrumentation was"
                    + " still being installed and went on unwoven after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms (it is woven when the install ends, and what runs it then is adopted)");
        }
    }
}
