package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jvmwatchdog.agent.advice.BlockingAdvice;
import io.jvmwatchdog.agent.advice.LockAcquireAdvice;
import io.jvmwatchdog.agent.advice.SiteIdMapping;
import io.jvmwatchdog.boot.Blocking;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
     * One row: the methods of one class that are one kind of blocking call, and the advice that marks
     * them ({@link BlockingAdvice} unless the row needs to look at the call's arguments).
     */
    record Probe(int kind, String typeName, ElementMatcher<MethodDescription> methods, Class<?> adviceClass) {
        Probe(int kind, String typeName, ElementMatcher<MethodDescription> methods) {
            this(kind, typeName, methods, BlockingAdvice.class);
        }

        AsmVisitorWrapper.ForDeclaredMethods advice() {
            return Advice.withCustomMapping()
                    .bind(new SiteIdMapping(kind))
                    .to(adviceClass)
                    .on(methods);
        }

        /**
         * Whether {@code type} declares a method this row weaves: {@link ProbeCheck} asks it of the
         * running JDK at install, {@code BlockingProbesTest} of the build's JDKs.
         */
        boolean matchesAMethodOf(TypeDescription type) {
            return !type.getDeclaredMethods().filter(methods).isEmpty();
        }
    }

    private BlockingProbes() {
    }

    static final List<Probe> TABLE = List.of(
            // Uninterruptible: a hang if it lasts.
            // Classic java.net sockets run on NioSocketImpl since JDK 13 (JEP 353).
            new Probe(Blocking.SOCKET_READ, "sun.nio.ch.NioSocketImpl", named("read").and(takesArguments(3))),
            new Probe(Blocking.SOCKET_WRITE, "sun.nio.ch.NioSocketImpl", named("write").and(takesArguments(3))),
            new Probe(Blocking.SOCKET_CONNECT, "sun.nio.ch.NioSocketImpl", named("connect")),
            new Probe(Blocking.SOCKET_READ, "sun.nio.ch.SocketChannelImpl", named("read")),
            new Probe(Blocking.SOCKET_WRITE, "sun.nio.ch.SocketChannelImpl", named("write")),
            new Probe(Blocking.SOCKET_CONNECT, "sun.nio.ch.SocketChannelImpl", namedOneOf("connect", "finishConnect")),
            new Probe(Blocking.DNS, "java.net.InetAddress", namedOneOf("getAddressesFromNameService", "getHostFromNameService")),
            new Probe(Blocking.FILE_IO, "java.io.FileInputStream",
                    namedOneOf("read", "readAllBytes", "readNBytes", "skip").and(not(isNative()))),
            new Probe(Blocking.FILE_IO, "java.io.FileOutputStream", named("write").and(not(isNative()))),
            new Probe(Blocking.FILE_IO, "java.io.RandomAccessFile", namedOneOf("read", "write").and(not(isNative()))),
            new Probe(Blocking.FILE_IO, "sun.nio.ch.FileChannelImpl",
                    namedOneOf("read", "write", "transferTo", "transferFrom", "force")),
            // ReentrantLock.lock(), ReentrantReadWriteLock locks, Semaphore.acquireUninterruptibly, a
            // condition's re-acquisition of its lock and every other non-interruptible AQS
            // acquisition, at the slow path they all share (Java 14+): only an acquisition that has
            // to wait pays for the probe. lockInterruptibly and tryLock(timeout) stay interruptible.
            new Probe(Blocking.LOCK, "java.util.concurrent.locks.AbstractQueuedSynchronizer",
                    named("acquire").and(takesArguments(6)), LockAcquireAdvice.class),
            new Probe(Blocking.LOCK, "java.util.concurrent.locks.AbstractQueuedLongSynchronizer",
                    named("acquire").and(takesArguments(6)), LockAcquireAdvice.class),
            new Probe(Blocking.PROCESS_WAIT, "java.lang.ProcessImpl", named("waitFor").and(takesArguments(0))),

            // Interruptible or idle: healthy outside a budgeted unit.
            new Probe(Blocking.PARK, "java.util.concurrent.locks.LockSupport", namedOneOf("park", "parkNanos", "parkUntil")),
            new Probe(Blocking.SLEEP, "java.lang.Thread", named("sleep").and(not(isNative()))),
            new Probe(Blocking.SELECT, "sun.nio.ch.SelectorImpl", named("lockAndDoSelect")),
            new Probe(Blocking.ACCEPT, "sun.nio.ch.NioSocketImpl", named("accept")),
            new Probe(Blocking.ACCEPT, "sun.nio.ch.ServerSocketChannelImpl", named("accept").and(takesArguments(0))),
            new Probe(Blocking.DATAGRAM_RECEIVE, "sun.nio.ch.DatagramChannelImpl", namedOneOf("receive", "blockingReceive")),
            new Probe(Blocking.DATAGRAM_RECEIVE, "java.net.DatagramSocket", named("receive")),
            // The JDK's "process reaper" pool task: it sits in a native waitpid for as long as a
            // child process lives. Without this row it would look like a task running with no progress.
            new Probe(Blocking.CHILD_EXIT, "java.lang.ProcessHandleImpl$1", named("run")));
}
