package io.jvmwatchdog.agent;

import java.util.List;

/**
 * The JDK classes that rows weave and that a network service's start loads anyway, loaded (and so
 * woven) by the install thread while {@code main} runs, instead of on {@code main} when the
 * application first needs each. Weaving one is a millisecond or more of ASM, interpreted at a start
 * (measured: 1-8 ms each, about 15 ms in all on the main thread of a Spring Boot or a Quarkus start);
 * on the install thread it costs the second core, and {@code main} finds them woven. A class
 * {@code main} needs while the install thread loads it waits for that load, as it would for its
 * own. Loaded, not initialized: no static initializer runs, so nothing the application would see
 * happens sooner.
 *
 * <p>Only a launch that puts the weaver in place before {@code main} and makes the watchdog later
 * ({@code install=beside-main}, the default) does this: its install thread waits for the start to
 * settle anyway. The list is short on purpose: a class an application never loads would cost
 * metaspace and a weave for nothing. Each is one that both measured framework starts (Spring Boot
 * on Tomcat, Quarkus on Vert.x) or a JDK socket server load: the file channel, the lock and queue
 * and pool classes of every executor, and the socket classes of a server.
 */
final class LoadAhead {

    /** In the order a start tends to need them: the file channel first (jar and log files). */
    static final List<String> JDK_CLASSES = List.of(
            "sun.nio.ch.FileChannelImpl",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.LinkedBlockingQueue",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.SynchronousQueue",
            "java.util.concurrent.FutureTask",
            "java.util.concurrent.ForkJoinTask",
            "java.net.InetAddress",
            "sun.nio.ch.SelectorImpl",
            "sun.nio.ch.ServerSocketChannelImpl",
            "sun.nio.ch.SocketChannelImpl",
            "sun.nio.ch.NioSocketImpl");

    private LoadAhead() {
    }

    /**
     * Loads those of {@link #JDK_CLASSES} the weaver weaves (a JVM writing a class-sharing archive
     * leaves some rows out), on the calling thread; nothing on a JVM given a single processor.
     *
     * @return how many it asked the boot loader for
     */
    static int run(LeanWeaver weaver) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return 0; // no second core: it would only add to the start, and load classes it may never use
        }
        int asked = 0;
        for (String name : JDK_CLASSES) {
            if (!weaver.weavesByName(name)) {
                continue;
            }
            asked++;
            try {
                Class.forName(name, false, null); // the boot loader: the weaver sees the load, on this thread
            } catch (Throwable t) {
                // a JDK without it (or a security manager that refuses): main loads it when it needs it
            }
        }
        return asked;
    }
}
