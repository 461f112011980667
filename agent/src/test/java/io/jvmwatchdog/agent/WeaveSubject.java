package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.ThreadStates;
import java.io.IOException;

/**
 * Methods shaped like the JDK's blocking calls, for {@code LeanWeaverTest} to weave and run: each
 * says which blocking call the thread is inside while it runs.
 */
public class WeaveSubject {

    public int read() {
        return ThreadStates.current().blockingSite();
    }

    /** A nested woven call: only the outermost is the thread's blocking call. */
    public int[] readNested() {
        int outer = ThreadStates.current().blockingSite();
        int inner = read();
        return new int[] {outer, inner, ThreadStates.current().blockingSite()};
    }

    public void readThrows() throws IOException {
        throw new IOException("the subject's own");
    }

    /** Branches, a loop, wide locals, and a handler of its own: frames the weaver must extend. */
    public static long readStatic(long start, double factor, int rounds, String text) {
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
        return sum + ThreadStates.current().blockingSite() * 0L;
    }

    /** The shape of AQS's slow path: {@code acquire(node, arg, shared, interruptible, timed, time)}. */
    public int acquire(Object node, int arg, boolean shared, boolean interruptible, boolean timed, long time) {
        return ThreadStates.current().blockingSite();
    }

    /** Shaped like {@code VirtualThread.run(Runnable)}: where a virtual thread's run ends. */
    public void run(Runnable task) {
        if (task == null) {
            return; // a second return
        }
        task.run();
    }

    /** Not named by the rows: left as it is. */
    public int write() {
        return ThreadStates.current().blockingSite();
    }
}
