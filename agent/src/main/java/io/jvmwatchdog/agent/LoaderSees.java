package io.jvmwatchdog.agent;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Matches the class loaders that can see one class file, so that a look over the classes already
 * loaded for a row matched by type hierarchy (every servlet) walks no hierarchy in the loaders of
 * applications that have no such API. The answer is kept per loader, weakly, so an undeployed web
 * application's loader can still be collected. Not asked as a class loads: there a first lookup
 * can cost more than the test it saves (see {@code LeanWeaver#bySupertype}).
 */
final class LoaderSees {

    private final String resource;
    private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param resource the class file's path, such as {@code jakarta/servlet/Servlet.class} */
    LoaderSees(String resource) {
        this.resource = resource;
    }

    boolean matches(ClassLoader loader) {
        if (loader == null) {
            return false; // the boot loader: no servlet API there
        }
        Boolean known = seen.get(loader);
        if (known == null) {
            boolean sees;
            try {
                sees = loader.getResource(resource) != null;
            } catch (RuntimeException | LinkageError e) {
                sees = false;
            }
            known = sees;
            seen.put(loader, known);
        }
        return known;
    }

    @Override
    public String toString() {
        return "loaderSees(" + resource + ")";
    }
}
