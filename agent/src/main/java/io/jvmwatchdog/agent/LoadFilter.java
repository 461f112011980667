package io.jvmwatchdog.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which loading classes Byte Buddy needs to see at all, decided from the class's name and bytes
 * before Byte Buddy does any work for it. A service loads tens of thousands of classes, nearly none
 * of which the tables weave; handing each to Byte Buddy costs a type description, the ignore matcher
 * and every row's matcher, and in a loader that sees the servlet API a walk up the class's hierarchy.
 * Here, a class passes if its name is one a row names (or that name relocated under a prefix), or if
 * it declares the method a hierarchy row weaves: a class that declares {@code
 * service(ServletRequest, ServletResponse)} has that method's descriptor in its constant pool, which
 * a walk over the pool's entries finds without parsing the rest ({@link ClassHeader#hasUtf8}).
 *
 * <p>Only loads are filtered. A retransformation (the install's, of classes already loaded) always
 * goes through: Byte Buddy chose those classes by its own matchers.
 */
final class LoadFilter {

    /** A row matched by hierarchy: the loaders it applies to, and bytes its woven classes must contain. */
    private record Marker(ElementMatcher<? super ClassLoader> loaders, byte[] bytes) {
    }

    private final Set<String> names = new HashSet<>();
    private final List<String> relocatedSuffixes = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    /** The packages of the rows' classes (a hierarchy row's: its API's), each with a trailing slash. */
    private final List<String> packages = new ArrayList<>();

    private LoadFilter() {
    }

    static LoadFilter of(List<UnitsOfWork.Unit> units) {
        LoadFilter filter = new LoadFilter();
        for (UnitsOfWork.Unit unit : units) {
            String internal = unit.typeName().replace('.', '/');
            String pkg = internal.substring(0, internal.lastIndexOf('/') + 1);
            if (!filter.packages.contains(pkg)) {
                filter.packages.add(pkg);
            }
            switch (unit.match()) {
                case BY_NAME -> filter.names.add(internal);
                case BY_NAME_OR_RELOCATED -> {
                    filter.names.add(internal);
                    filter.relocatedSuffixes.add("/" + internal);
                }
                case SUBTYPES -> filter.markers.add(new Marker(unit.loaders(),
                        unit.declaredMethodDescriptor().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return filter;
    }

    /** @param internalName the class's name as the JVM gives it ({@code a/b/C}), or null */
    boolean wants(ClassLoader loader, String internalName, byte[] classFile) {
        if (internalName == null) {
            return false; // a hidden class: no row names one
        }
        if (names.contains(internalName)) {
            return true;
        }
        for (String suffix : relocatedSuffixes) {
            if (internalName.endsWith(suffix)) {
                return true;
            }
        }
        for (Marker marker : markers) {
            if (marker.loaders().matches(loader) && ClassHeader.hasUtf8(classFile, marker.bytes())) {
                return true;
            }
        }
        return false;
    }

    /** Byte Buddy's transformer behind this filter: loads it does not want never reach Byte Buddy. */
    /**
     * Whether a class of this internal name is in the package of a row's class (or of a hierarchy
     * row's API): a library that a row weaves is being loaded, and its row's classes may follow.
     */
    boolean foreshadows(String internalName) {
        if (internalName == null) {
            return false;
        }
        for (String pkg : packages) {
            if (internalName.startsWith(pkg)) {
                return true;
            }
        }
        return false;
    }

    ClassFileTransformer inFrontOf(ClassFileTransformer transformer) {
        return new Filtered(transformer, this);
    }

    private record Filtered(ClassFileTransformer transformer, LoadFilter filter) implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
            if (classBeingRedefined == null && !filter.wants(loader, className, classFile)) {
                return null;
            }
            return transformer.transform(module, loader, className, classBeingRedefined, domain, classFile);
        }
    }
}
