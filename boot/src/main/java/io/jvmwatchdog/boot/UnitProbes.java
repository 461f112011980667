package io.jvmwatchdog.boot;

/**
 * What code woven by the agent's own ASM weaver calls to mark units of work: each method is a
 * {@link Probes} call that throws nothing. Byte Buddy's advice wrapped every probe in a handler that
 * swallowed whatever it threw; the lean weaver writes straight-line calls instead, so the catching
 * is here (a thread's first probe allocates its state, which can fail with an {@link OutOfMemoryError}).
 * A unit whose enter failed returns null, and each exit takes null as "nothing entered".
 *
 * <p>The arguments that the weaver passes from the woven method come in the order it pushes them: a
 * method's returned value, when a probe needs it, is always the first.
 */
public final class UnitProbes {

    private UnitProbes() {
    }

    public static ThreadState enterTask(int entry) {
        try {
            return Probes.enterTask(entry);
        } catch (Throwable t) {
            return null;
        }
    }

    public static ThreadState enterPoolTask(int entry, Object pool) {
        try {
            return Probes.enterPoolTask(entry, pool);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void exitTask(ThreadState state) {
        try {
            Probes.exitTask(state);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static ThreadState enterBudgeted(int entry) {
        try {
            return Probes.enterBudgeted(entry);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void exitBudgeted(ThreadState state) {
        try {
            Probes.exitBudgeted(state);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    /** An event loop's unit on one channel. */
    public static ThreadState enterEventLoop(int entry, Object channel) {
        try {
            return Probes.enterEventLoop(entry, channel);
        } catch (Throwable t) {
            return null;
        }
    }

    /** An event loop's task, named by its class: never the task itself (see {@link Probes#enterEventLoop}). */
    public static ThreadState enterEventLoopTask(int entry, Object task) {
        try {
            return Probes.enterEventLoop(entry, task == null ? null : task.getClass());
        } catch (Throwable t) {
            return null;
        }
    }

    public static void jobBegin(int pool, Object executor) {
        try {
            Probes.jobBegin(pool, executor);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static ThreadState jobEnd() {
        try {
            return Probes.jobEnd();
        } catch (Throwable t) {
            return null;
        }
    }

    /** A pool worker's wait for work returned {@code job}: a job begins unless it returned none. */
    public static void jobTaken(Object job, ThreadState state, int pool, Object executor) {
        if (job != null) {
            try {
                Probes.jobBegin(state, pool, executor);
            } catch (Throwable t) {
                // nothing reaches the application
            }
        }
    }

    public static ThreadState queueWaitBegins() {
        try {
            return Probes.queueWaitBegins();
        } catch (Throwable t) {
            return null;
        }
    }

    /** A queue's wait returned {@code element}: a queue job begins unless it returned none. */
    public static void queueJobTaken(Object element, ThreadState state, int site) {
        if (element != null) {
            try {
                Probes.queueJobBegins(state, site);
            } catch (Throwable t) {
                // nothing reaches the application
            }
        }
    }

    public static void queueJobBegins(int site) {
        try {
            Probes.queueJobBegins(site);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static ThreadState pinnedParkBegin() {
        try {
            return Probes.pinnedParkBegin();
        } catch (Throwable t) {
            return null;
        }
    }

    public static void pinnedParkEnd(ThreadState state) {
        try {
            Probes.pinnedParkEnd(state);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static void enterSection(String name) {
        try {
            Probes.enterSection(name);
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static void exitSection() {
        try {
            Probes.exitBudgeted();
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static void pet() {
        try {
            Probes.pet();
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    public static void ready() {
        try {
            Probes.ready();
        } catch (Throwable t) {
            // nothing reaches the application
        }
    }

    /** Whether a request entered now would be named by it: see {@link Probes#wantsRequestName}. */
    public static boolean wantsRequestName() {
        try {
            return Probes.wantsRequestName();
        } catch (Throwable t) {
            return false;
        }
    }

    public static ThreadState enterRequest(int entry, String method, String path) {
        try {
            return Probes.enterRequest(entry, method, path);
        } catch (Throwable t) {
            return null;
        }
    }
}
