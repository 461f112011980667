package io.jvmwatchdog.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;

/**
 * What the boot runtime reaches inside {@code java.base}: private fields it only reads, and the
 * JVM's agent properties, where it publishes the watchdog's status.
 *
 * <p>The fields:
 * <ul>
 *   <li>{@code AbstractOwnableSynchronizer.exclusiveOwnerThread}: who holds a
 *       {@code java.util.concurrent} lock. The JVM names the holder of what a platform thread waits
 *       on ({@code ThreadInfo.getLockOwnerId}), not of what a virtual thread waits on; asking it for
 *       every thread's held synchronizers instead walks the whole heap inside a safepoint.</li>
 *   <li>{@code Thread.nioBlocker} ({@code blocker} on Java 17): what an interrupt of the thread would
 *       act on, set while it is inside an interruptible channel's I/O. {@code interrupt-after} spares
 *       such a thread: the interrupt would close the application's channel.</li>
 * </ul>
 * <p>The agent properties ({@code jdk.internal.vm.VMSupport.getAgentProperties()}) are what a tool
 * reads over the attach channel ({@code VirtualMachine.getAgentProperties()}), which only the JVM's
 * own user can open, with no port and nothing listening; the JDK publishes its local JMX address
 * there. They are not the application's system properties.
 *
 * <p>All of it is private to {@code java.base}: the agent opens (or exports) the packages to this
 * module (the bootstrap loader's unnamed one, which holds nothing but the boot runtime, never the
 * application's class path) and then calls {@link #open()}. Until then, or where that fails, no lock
 * owner is known, nothing is known of channel I/O, and no
 * status is published.
 */
public final class JdkInternals {

    private static volatile VarHandle exclusiveOwner;
    private static volatile VarHandle nioBlocker;
    private static volatile VarHandle poolControl;
    private static volatile java.util.Properties agentProperties;

    /** The prefix of every agent property the watchdog publishes; others are never touched. */
    public static final String AGENT_PROPERTY_PREFIX = "io.jvmwatchdog.";

    private JdkInternals() {
    }

    /**
     * Once {@code java.util.concurrent.locks} and {@code java.lang} are open, and {@code jdk.internal.vm}
     * exported, to this module: makes
     * the fields readable and the agent properties reachable. @return how many of the four are
     */
    public static int open() {
        int opened = 0;
        try {
            exclusiveOwner = MethodHandles.privateLookupIn(AbstractOwnableSynchronizer.class, MethodHandles.lookup())
                    .findVarHandle(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread", Thread.class);
            opened++;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no owners: virtual waiters are reported without the holder
        }
        for (String name : new String[] {"nioBlocker", "blocker"}) { // Java 19+, Java 17
            try {
                nioBlocker = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                        .findVarHandle(Thread.class, name, Class.forName("sun.nio.ch.Interruptible"));
                opened++;
                break;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the other name, or nothing known of channel I/O: interrupt-after then says so
            }
        }
        try {
            poolControl = MethodHandles.privateLookupIn(ThreadPoolExecutor.class, MethodHandles.lookup())
                    .findVarHandle(ThreadPoolExecutor.class, "ctl", AtomicInteger.class);
            opened++;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // pool starvation is judged by the pool's own getPoolSize(), which takes its lock briefly
        }
        try {
            agentProperties = (java.util.Properties) Class.forName("jdk.internal.vm.VMSupport")
                    .getMethod("getAgentProperties").invoke(null);
            opened++;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no status over the attach channel
        }
        return opened;
    }

    /**
     * How many workers a {@link ThreadPoolExecutor} has, read from its control word without its lock
     * (its {@code getPoolSize()} takes the pool's main lock); -1 when the field could not be opened.
     */
    public static int poolWorkerCount(ThreadPoolExecutor pool) {
        VarHandle control = poolControl;
        if (control == null) {
            return -1;
        }
        // The JDK's layout since Java 7: the run state in the top 3 bits, the worker count below.
        return ((AtomicInteger) control.get(pool)).get() & ((1 << (Integer.SIZE - 3)) - 1);
    }

    /**
     * Sets one of the watchdog's agent properties (its name starts with {@link #AGENT_PROPERTY_PREFIX}).
     *
     * @return whether it was published
     */
    public static boolean publishAgentProperty(String name, String value) {
        java.util.Properties properties = agentProperties;
        if (properties == null || !name.startsWith(AGENT_PROPERTY_PREFIX)) {
            return false;
        }
        properties.setProperty(name, value);
        return true;
    }

    /**
     * The class of what an interrupt of {@code thread} would act on besides setting its flag: an
     * interruptible channel's (it closes the channel; the classes are the JDK's
     * {@code AbstractInterruptibleChannel} lambdas), or a selector's (it wakes the selector). Null
     * when the thread is in no such I/O, or when that cannot be known (the field could not be opened).
     */
    public static String interruptibleIo(Thread thread) {
        VarHandle field = nioBlocker;
        Object blocker = field == null ? null : field.getVolatile(thread);
        return blocker == null ? null : blocker.getClass().getName();
    }

    /** The thread holding {@code lock} exclusively (a {@code ReentrantLock}'s sync, say), or null. */
    public static Thread lockOwner(Object lock) {
        VarHandle owner = exclusiveOwner;
        if (owner == null || !(lock instanceof AbstractOwnableSynchronizer)) {
            return null;
        }
        return (Thread) owner.getOpaque(lock);
    }
}
