package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.ThreadState;
import io.jvmwatchdog.boot.ThreadStates;

/**
 * Methods shaped like the units of work the lean weaver marks, for {@code LeanWeaverUnitsTest} to
 * weave and run: each says what the thread's state shows while it runs ({@link #seen}).
 */
public class UnitSubject {

    /** The thread's unit as a line: watched, budgeted, entry, pool, subject. */
    public static String seen() {
        ThreadState s = ThreadStates.current();
        return s.isWatched() + " " + s.isBudgeted() + " " + s.entry() + " " + s.poolOfJob() + " " + s.unitSubject();
    }

    public String task() {
        return seen();
    }

    public void taskThrows() {
        throw new IllegalStateException("the task's own");
    }

    /** Branches, a loop, wide locals and a handler of its own: frames the weaver must extend with its state. */
    public static long taskWithFrames(long start, double factor, int rounds, String text) {
        long sum = start;
        for (int i = 0; i < rounds; i++) {
            double d = i * factor;
            if (d > 3) {
                sum += (long) d;
            } else {
                try {
                    sum += Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    sum -= 1;
                }
            }
        }
        return sum;
    }

    /** Shaped like a pool's wait for work ({@code getTask}): returns a job, or null. */
    public Object takeJob(boolean give) {
        return give ? "job" : null;
    }

    /** Shaped like a pool worker's run loop. */
    public String runWorker() {
        return seen();
    }

    /** Shaped like an event loop's static task runner. */
    public static String eventTask(Runnable task) {
        return seen();
    }

    /** The request the thread serves, as a line: its method and path. */
    public static String request() {
        ThreadState s = ThreadStates.current();
        return s.isBudgeted() + " " + s.requestMethod() + " " + s.requestPath();
    }

    /** Shaped like a server's request handler: the request in the second argument. */
    public String serve(long wide, Object request) {
        return request();
    }

    /** The same, with a handler of its own and a branch: frames the request's enter must leave right. */
    public String serveWithFrames(long wide, Object request) {
        try {
            return wide > 0 ? request() : "negative " + request();
        } catch (RuntimeException e) {
            return "failed";
        }
    }

    /** A primitive where an advice wants a reference: cannot be woven with it. */
    public int primitive(int x) {
        return x;
    }

    @Override
    public String toString() {
        return "the subject";
    }

    /** A task with no enclosing instance (as javac 18+ leaves an inner class that does not use it). */
    public static class Detached {
        public String run() {
            return seen();
        }
    }

    /** An inner class of its pool, as JBoss Threads' tasks are. */
    public class Inner {
        public String run() {
            return seen();
        }

        public UnitSubject outer() {
            return UnitSubject.this;
        }
    }
}
