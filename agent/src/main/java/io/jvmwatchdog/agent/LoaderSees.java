package io.jvmwatchdog.agent;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Matches the class loaders that can see one class file, so that a row matched by type hierarchy
 * (every servlet) costs nothing in the loaders of applications that have no such API. The answer is
 * kept per loader, weakly, so an undeployed web application's loader can still be collected.
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
