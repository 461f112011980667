package io.jvmwatchdog.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Everything a hung JVM can do to a report path, at once, for a JVM whose stdout and stderr go to a
 * pipe nobody reads:
 * <ul>
 *   <li>threads flooding {@code System.out} and {@code System.err} until the pipe is full: each then
 *   blocks in a write and holds the stream's lock;</li>
 *   <li>threads logging through {@code java.util.logging}, whose console handler writes to the full
 *   stderr: one blocks inside the handler and holds its lock, the others wait for it;</li>
 *   <li>a shutdown hook that never returns;</li>
 *   <li>a spinning executor task: the stuck thread.</li>
 * </ul>
 * {@code args[0]}: a file to write, once the task spins, the epoch milliseconds at which it started
 * (the program's own stdout is the clogged pipe, so this is how it speaks).
 */
public final class CloggedOutputApp {

    private CloggedOutputApp() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep blocking the shutdown
                }
            }
        }, "never-returning-hook"));
        // The task first, the floods once it spins: the panic's one report must hold the task, so
        // the floods may not reach the timeout a pass before it (with a default launch the task's
        // pool waits for the instrumentation as its classes load, and its first file write takes a
        // cold JVM a while).
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Path stuckSince = Path.of(args[0]);
        pool.execute(() -> {
            try {
                Files.writeString(stuckSince, Long.toString(System.currentTimeMillis()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            SpinningApp.spinForever();
        });
        while (!Files.exists(stuckSince)) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 2; i++) {
            daemon("stdout-flood-" + i, () -> flood(true));
            daemon("stderr-flood-" + i, () -> flood(false));
            daemon("jul-logger-" + i, CloggedOutputApp::logForever);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void flood(boolean toStdout) {
        String line = "x".repeat(1000);
        while (true) {
            (toStdout ? System.out : System.err).println(line);
        }
    }

    private static void logForever() {
        Logger log = Logger.getLogger("clogged");
        while (true) {
            log.info("a line the console handler writes to the full stderr");
        }
    }
}
