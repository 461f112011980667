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
        // The pool first: its classes are what a default launch's first instructions wait for until
        // the instrumentation is in place (LoadGate), so the floods and the task begin together and
        // the panic's one report holds them all.
        ExecutorService pool = Executors.newSingleThreadExecutor();
        for (int i = 0; i < 2; i++) {
            daemon("stdout-flood-" + i, () -> flood(true));
            daemon("stderr-flood-" + i, () -> flood(false));
            daemon("jul-logger-" + i, CloggedOutputApp::logForever);
        }
        pool.execute(() -> {
            try {
                Files.writeString(Path.of(args[0]), Long.toString(System.currentTimeMillis()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            SpinningApp.spinForever();
        });
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
