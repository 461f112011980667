package io.jvmwatchdog.core.watch;

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
     * A named daemon thread with no context class loader (it must not pin or see an application
     * loader), registered as the agent's own.
     */
    public static Thread newThread(String name, Runnable body) {
        Thread thread = new Thread(null, () -> {
            IDS.add(Thread.currentThread().getId());
            try {
                body.run();
            } finally {
                IDS.remove(Thread.currentThread().getId());
            }
        }, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }

    public static boolean isAgentThread(long threadId) {
        return IDS.contains(threadId);
    }
}
