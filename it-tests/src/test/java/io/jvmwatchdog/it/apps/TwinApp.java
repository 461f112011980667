package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One class, {@link Twin}, defined twice, by two class loaders of its own (as two web applications
 * each bring their copy of a library), both copies loaded before any agent comes. On a line "go" on
 * stdin, one thread per copy calls its {@link Twin#work}, which spins for ever: an agent attached in
 * between with {@code entry=...TwinApp$Twin#work} must have woven both copies to see both threads
 * enter it. Prints "app: ready" once both copies are loaded, "app: working" once both threads are in.
 */
public final class TwinApp {

    private TwinApp() {
    }

    /** The class that is defined twice: it uses nothing of its host (a copy is in a package of its own loader). */
    public static final class Twin {
        public static volatile long sink;

        private Twin() {
        }

        public static void work() {
            long x = 0;
            while (true) {
                x += System.nanoTime() & 1;
                sink = x;
            }
        }
    }

    /** Defines {@link Twin} itself, from the class path's bytes; everything else from its parent. */
    private static final class CopyLoader extends ClassLoader {
        CopyLoader() {
            super(TwinApp.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Twin.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Class<?> one = Class.forName(Twin.class.getName(), true, new CopyLoader());
        Class<?> two = Class.forName(Twin.class.getName(), true, new CopyLoader());
        if (one == two) {
            throw new IllegalStateException("one copy only");
        }
        System.out.println("app: ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("go")) {
            // anything else: ignored
        }
        int i = 0;
        for (Class<?> copy : new Class<?>[] {one, two}) {
            Thread t = new Thread(() -> {
                try {
                    copy.getMethod("work").invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }, "twin-" + ++i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println("app: working");
        Thread.sleep(Long.MAX_VALUE);
    }
}
