package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Two executor tasks that spin with no progress, for a test that pauses one of them with a debugger
 * (the program runs with {@code -agentlib:jdwp}). Driven by lines on stdin:
 *
 * <ul>
 *   <li>"go": "target-task" starts spinning in {@link #spinStep()} calls (prints "app: target
 *       spinning" just before), and "free-task" starts spinning in {@link #spinFree()}, nobody
 *       pausing it;</li>
 *   <li>"release": the target's loop ends, its task returns ("app: target finished");</li>
 *   <li>"stop": the free task's loop ends ("app: free finished");</li>
 *   <li>"exit": the pools shut down and the program exits 0 ("app: done").</li>
 * </ul>
 *
 * <p>Nothing in either loop takes a lock or makes a transition the watchdog could see: each would be
 * reported as running with no progress after the timeout, unless it is suspended.
 */
public final class DebuggerApp {

    static volatile long sink;
    private static volatile boolean targetReleased;
    private static volatile boolean freeStopped;

    private DebuggerApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        ExecutorService target = Executors.newSingleThreadExecutor(r -> new Thread(r, "target-task"));
        ExecutorService free = Executors.newSingleThreadExecutor(r -> new Thread(r, "free-task"));
        System.out.println("app: ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "go":
                    target.execute(() -> {
                        System.out.println("app: target spinning");
                        long n = 0;
                        while (!targetReleased) {
                            n += spinStep();
                        }
                        sink += n;
                        System.out.println("app: target finished");
                    });
                    free.execute(() -> {
                        spinFree();
                        System.out.println("app: free finished");
                    });
                    break;
                case "release":
                    targetReleased = true;
                    break;
                case "stop":
                    freeStopped = true;
                    break;
                case "exit":
                    targetReleased = true;
                    freeStopped = true;
                    target.shutdown();
                    free.shutdown();
                    if (!target.awaitTermination(10, TimeUnit.SECONDS) || !free.awaitTermination(10, TimeUnit.SECONDS)) {
                        System.out.println("app: tasks did not end");
                        System.exit(3);
                    }
                    System.out.println("app: done");
                    return;
                default:
                    System.out.println("app: unknown command " + line);
            }
        }
        // stdin closed: the test is gone (main is outside any unit: never reported)
    }

    /** One step of the target's spin: where a test's breakpoint goes. */
    static long spinStep() {
        long x = sink | 1;
        for (int i = 0; i < 1_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x == 42 ? 1 : 0;
    }

    static void spinFree() {
        long x = 1;
        while (!freeStopped) {
            x = x * 6364136223846793005L + 1442695040888963407L; // busy, and nothing anyone could see
            if (x == 42) {
                sink = x;
            }
        }
        sink = x;
    }
}
