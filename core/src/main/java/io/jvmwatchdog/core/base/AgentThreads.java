package io.jvmwatchdog.core.base;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads the agent itself runs. They pass through instrumented JDK methods like any other (the
 * sampler's executor runs tasks, the reporter waits), so the watchdog must never judge them: it would
 * report itself.
 */
public final class AgentThreads {
    private static final Set<Long> IDS = ConcurrentHashMap.newKeySet();

    private AgentThreads() {
    }

    /**
     * A named daemon thread, registered as the agent's own, that holds nothing of the thread that
     * made it: no context class loader, no inherited thread-locals, and (Java 17) the agent's own
     * access-control context rather than the caller's. Some are made lazily, on whatever thread needs
     * one first (stderr's writer starts with the first log line, which can be written while a web
     * application loads a class); a thread that kept that application's loader would pin it after
     * the application is undeployed.
     */
    @SuppressWarnings("removal") // AccessController: on Java 17 a new thread still captures the caller's context
    public static Thread newThread(String name, Runnable body) {
        Thread thread = java.security.AccessController.doPrivileged(new Making(name, new Registered(body)));
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }

    /*
     * Classes, not lambdas: the launcher makes two threads before main, where each new lambda shape
     * costs the JVM a class spun at run time (a millisecond or more, cold).
     */

    /** The thread's body, registered as the agent's while it runs. */
    private record Registered(Runnable body) implements Runnable {
        @Override
        public void run() {
            IDS.add(Thread.currentThread().getId());
            try {
                body.run();
            } finally {
                IDS.remove(Thread.currentThread().getId());
            }
        }
    }

    /** Makes the thread, in the agent's own access-control context. */
    private record Making(String name, Runnable body) implements java.security.PrivilegedAction<Thread> {
        @Override
        public Thread run() {
            return new Thread(null, body, name, 0, false);
        }
    }

    public static boolean isAgentThread(long threadId) {
        return IDS.contains(threadId);
    }
}
