package io.jvmwatchdog.agent;


import io.jvmwatchdog.boot.Blocking;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.Type;

/**
 * The JDK's blocking calls, as a table: which method of which class is which kind of wait. Names are
 * the same on Java 17 and 25 unless a row says otherwise ({@code BlockingProbesTest} checks both); a
 * row whose class or method does not exist on the running JDK simply matches nothing, and the install
 * check ({@link ProbeCheck}) says so. Native methods cannot take advice (on 17, {@code
 * Thread.sleep(long)} is native): the rows exclude them, and ThreadMXBean's waited counter covers
 * those waits instead.
 *
 * <p>{@code Object.wait} has no row, on any JDK: the JVM's state says it all (a waiting thread is in an
 * interruptible wait; a virtual one that stays mounted is pinned), and weaving {@code java.lang.Object}
 * costs too much. Retransforming it makes HotSpot mark every loaded class as redefined, which crashes
 * a Java 25 AOT-cache training run (SIGSEGV in {@code ArchiveBuilder::record_regenerated_object};
 * reproduced without Byte Buddy in {@code docs/repro/aot-object-retransform}).
 */
final class BlockingProbes {

    /**
     * One row: the methods of one class that are one kind of blocking call, and how the call is
     * marked ({@link Shape}). {@link LeanWeaver} weaves the rows, without Byte Buddy.
     */
    record Probe(int kind, String typeName, Methods methods, Shape shape) {
        Probe(int kind, String typeName, Methods methods) {
            this(kind, typeName, methods, Shape.CALL);
        }

        /**
         * The names of the methods of {@code type}, a loaded class, that this row weaves: {@link
         * ProbeCheck} asks it of the running JDK at install, {@link Adoption} to know a blocking
         * call's frame. Read by reflection, as the class file declares them.
         */
        List<String> methodsOf(Class<?> type) {
            List<String> names = new ArrayList<>();
            for (Method m : type.getDeclaredMethods()) {
                if (methods.matches(m.getModifiers(), m.getName(), Type.getMethodDescriptor(m))) {
                    names.add(m.getName());
                }
            }
            return names;
        }
    }

    /**
     * The methods of a row, by name and, where names are overloaded, by how many arguments they
     * take. Native and abstract methods have no code to weave and never match.
     *
     * @param arguments how many arguments, or -1 for any
     */
    record Methods(Set<String> names, int arguments) {
        static Methods named(String... names) {
            return new Methods(Set.of(names), -1);
        }

        Methods taking(int count) {
            return new Methods(names, count);
        }

        /** Whether a method of this access, name and descriptor (a class file's) is one. */
        boolean matches(int access, String name, String descriptor) {
            return (access & (Modifier.NATIVE | Modifier.ABSTRACT)) == 0
                    && names.contains(name)
                    && (arguments < 0 || Type.getArgumentTypes(descriptor).length == arguments);
        }
    }

    /** How a row's calls are marked. */
    enum Shape {
        /** Every call is a blocking call ({@code Probes.blockBegin}). */
        CALL,
        /**
         * An AQS acquisition's slow path, {@code acquire(node, arg, shared, interruptible, timed,
         * time)}: a lock wait only when neither interruptible nor timed ({@code Probes.lockWaitBegin});
         * the others are interruptible waits, left to the park probe inside.
         */
        LOCK_ACQUIRE
    }

    private BlockingProbes() {
    }

    static final List<Probe> TABLE = List.of(
            // Uninterruptible: a hang if it lasts.
            // Classic java.net sockets run on NioSocketImpl since JDK 13 (JEP 353).
            new Probe(Blocking.SOCKET_READ, "sun.nio.ch.NioSocketImpl", Methods.named("read").taking(3)),
            new Probe(Blocking.SOCKET_WRITE, "sun.nio.ch.NioSocketImpl", Methods.named("write").taking(3)),
            new Probe(Blocking.SOCKET_CONNECT, "sun.nio.ch.NioSocketImpl", Methods.named("connect")),
            new Probe(Blocking.SOCKET_READ, "sun.nio.ch.SocketChannelImpl", Methods.named("read")),
            new Probe(Blocking.SOCKET_WRITE, "sun.nio.ch.SocketChannelImpl", Methods.named("write")),
            new Probe(Blocking.SOCKET_CONNECT, "sun.nio.ch.SocketChannelImpl", Methods.named("connect", "finishConnect")),
            new Probe(Blocking.DNS, "java.net.InetAddress", Methods.named("getAddressesFromNameService", "getHostFromNameService")),
            new Probe(Blocking.FILE_IO, "java.io.FileInputStream",
                    Methods.named("read", "readAllBytes", "readNBytes", "skip")),
            new Probe(Blocking.FILE_IO, "java.io.FileOutputStream", Methods.named("write")),
            new Probe(Blocking.FILE_IO, "java.io.RandomAccessFile", Methods.named("read", "write")),
            new Probe(Blocking.FILE_IO, "sun.nio.ch.FileChannelImpl",
                    Methods.named("read", "write", "transferTo", "transferFrom", "force")),
            // ReentrantLock.lock(), ReentrantReadWriteLock locks, Semaphore.acquireUninterruptibly, a
            // condition's re-acquisition of its lock and every other non-interruptible AQS
            // acquisition, at the slow path they all share (Java 14+): only an acquisition that has
            // to wait pays for the probe. lockInterruptibly and tryLock(timeout) stay interruptible.
            new Probe(Blocking.LOCK, "java.util.concurrent.locks.AbstractQueuedSynchronizer",
                    Methods.named("acquire").taking(6), Shape.LOCK_ACQUIRE),
            new Probe(Blocking.LOCK, "java.util.concurrent.locks.AbstractQueuedLongSynchronizer",
                    Methods.named("acquire").taking(6), Shape.LOCK_ACQUIRE),
            new Probe(Blocking.PROCESS_WAIT, "java.lang.ProcessImpl", Methods.named("waitFor").taking(0)),

            // Interruptible or idle: healthy outside a budgeted unit.
            new Probe(Blocking.PARK, "java.util.concurrent.locks.LockSupport", Methods.named("park", "parkNanos", "parkUntil")),
            new Probe(Blocking.SLEEP, "java.lang.Thread", Methods.named("sleep")),
            new Probe(Blocking.SELECT, "sun.nio.ch.SelectorImpl", Methods.named("lockAndDoSelect")),
            new Probe(Blocking.ACCEPT, "sun.nio.ch.NioSocketImpl", Methods.named("accept")),
            new Probe(Blocking.ACCEPT, "sun.nio.ch.ServerSocketChannelImpl", Methods.named("accept").taking(0)),
            new Probe(Blocking.DATAGRAM_RECEIVE, "sun.nio.ch.DatagramChannelImpl", Methods.named("receive", "blockingReceive")),
            new Probe(Blocking.DATAGRAM_RECEIVE, "java.net.DatagramSocket", Methods.named("receive")),
            // The JDK's "process reaper" pool task: it sits in a native waitpid for as long as a
            // child process lives. Without this row it would look like a task running with no progress.
            new Probe(Blocking.CHILD_EXIT, "java.lang.ProcessHandleImpl$1", Methods.named("run")));
}
