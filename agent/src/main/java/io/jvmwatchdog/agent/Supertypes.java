package io.jvmwatchdog.agent;

import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Whether a class being loaded extends or implements a type, found from class files alone, before
 * the class (or its supertypes) is defined: each supertype's class file is read through the loader
 * of the class ({@code getResourceAsStream}, as a type pool does) and its header parsed
 * ({@link ClassHeader}). What is learnt is kept per loader, weakly, so an undeployed web
 * application's loader can still be collected. The lean weaver asks it only of a class that
 * declares the one method a hierarchy row weaves (a servlet's {@code service(ServletRequest,
 * ServletResponse)}): a handful of classes per application.
 */
final class Supertypes {

    /** Deeper than any real hierarchy: a cycle in broken class files ends here. */
    private static final int MAX_DEPTH = 64;

    /** Per loader (null: the boot loader), each class's answer for {@code type}. */
    private final Map<ClassLoader, Map<String, Boolean>> known = Collections.synchronizedMap(new WeakHashMap<>());
    private final String type;

    /** @param type the binary name of the type to look for */
    Supertypes(String type) {
        this.type = type;
    }

    /** The binary name of the type looked for. */
    String typeName() {
        return type;
    }

    /** Whether the class in {@code classFile}, loaded by {@code loader}, extends or implements the type. */
    boolean reachFrom(ClassLoader loader, byte[] classFile) {
        for (String supertype : ClassHeader.supertypes(classFile)) {
            if (reaches(loader, supertype, 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a loaded class extends or implements the type, by its supertypes' names (loads
     * nothing). Each supertype is looked at once (interfaces shared along a hierarchy, as in
     * Scala's or Kotlin's collections, would otherwise be walked once per path), and the boot
     * loader's not at all: no servlet API there.
     */
    boolean reachFrom(Class<?> loaded) {
        return reachFrom(loaded, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private boolean reachFrom(Class<?> loaded, Set<Class<?>> seen) {
        if (loaded == null || loaded.getClassLoader() == null || !seen.add(loaded)) {
            return false;
        }
        if (loaded.getName().equals(type)) {
            return true;
        }
        for (Class<?> i : loaded.getInterfaces()) {
            if (reachFrom(i, seen)) {
                return true;
            }
        }
        return reachFrom(loaded.getSuperclass(), seen);
    }

    private boolean reaches(ClassLoader loader, String name, int depth) {
        if (name.equals(type)) {
            return true;
        }
        if (depth > MAX_DEPTH || name.startsWith("java.")) {
            return false; // the JDK's own types extend no library type
        }
        Map<String, Boolean> answers;
        synchronized (known) { // no lambda: this runs while a class loads, where spinning one would load more
            answers = known.get(loader);
            if (answers == null) {
                answers = Collections.synchronizedMap(new HashMap<>());
                known.put(loader, answers);
            }
        }
        Boolean answer = answers.get(name);
        if (answer == null) {
            answer = false;
            byte[] file = classFile(loader, name);
            if (file != null) {
                for (String supertype : ClassHeader.supertypes(file)) {
                    if (reaches(loader, supertype, depth + 1)) {
                        answer = true;
                        break;
                    }
                }
            }
            answers.put(name, answer);
        }
        return answer;
    }

    /** The class file of {@code name} as {@code loader} finds it, or null (not found, unreadable). */
    private static byte[] classFile(ClassLoader loader, String name) {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
