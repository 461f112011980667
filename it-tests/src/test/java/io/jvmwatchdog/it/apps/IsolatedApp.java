package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application with a logging stack and a Byte Buddy of its own, older than the agent's (IsolationIT
 * runs it on SLF4J 1.7.36, logback 1.2.13 and Byte Buddy 1.14.18 only). Compiled against the newer
 * versions of the test class path, so it calls nothing those older versions lack.
 *
 * <p>On stdout it says what it found: {@code app: logger factory <class> from <jar>}, {@code app: slf4j
 * from <jar>}, {@code app: byte buddy from <jar> made <class>: <its toString()>} and {@code app:
 * properties <names>} (the system properties in the namespaces of these libraries). It logs
 * three messages through SLF4J at debug, info and warn, then, with {@code --stuck}, submits an
 * executor task that spins for ever, and prints "app: ready". Each later line {@code log <text>} on
 * stdin is logged at info and answered with {@code app: logged <text>}.
 */
public final class IsolatedApp {

    /** What the app logs at start, at debug, info and warn. */
    public static final String DEBUG_MESSAGE = "isolated app: configuring";
    public static final String INFO_MESSAGE = "isolated app: started with its own logging";
    public static final String WARN_MESSAGE = "isolated app: a warning of its own";

    private IsolatedApp() {
    }

    public static void main(String[] args) throws Exception {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        System.out.println("app: logger factory " + factory.getClass().getName() + " from " + jarOf(factory.getClass()));
        System.out.println("app: slf4j from " + jarOf(LoggerFactory.class));
        System.out.println("app: properties " + libraryProperties());

        Class<?> made = new ByteBuddy()
                .subclass(Object.class)
                .name("io.jvmwatchdog.it.apps.IsolatedAppGenerated")
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by the app's Byte Buddy"))
                .make()
                .load(IsolatedApp.class.getClassLoader())
                .getLoaded();
        Object instance = made.getDeclaredConstructor().newInstance();
        System.out.println("app: byte buddy from " + jarOf(ByteBuddy.class) + " made " + made.getName() + ": " + instance);

        Logger log = LoggerFactory.getLogger(IsolatedApp.class);
        log.debug(DEBUG_MESSAGE);
        log.info(INFO_MESSAGE);
        log.warn(WARN_MESSAGE);

        ExecutorService pool = Executors.newSingleThreadExecutor();
        if (java.util.Arrays.asList(args).contains("--stuck")) {
            pool.execute(SpinningApp::spinForever);
        }
        System.out.println("app: ready");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("log ")) {
                String text = line.substring("log ".length());
                log.info(text);
                System.out.println("app: logged " + text);
            }
        }
        Runtime.getRuntime().halt(0); // stdin closed: the test is done; the spinning task would keep us alive
    }

    /** The file name of the jar a class came from. */
    private static String jarOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }

    /** Names of the system properties these libraries read (net.bytebuddy.*, logback.*, slf4j.*). */
    private static TreeSet<String> libraryProperties() {
        TreeSet<String> names = new TreeSet<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("net.bytebuddy") || name.startsWith("logback") || name.startsWith("slf4j")
                    || name.startsWith("org.slf4j")) {
                names.add(name);
            }
        }
        return names;
    }
}
