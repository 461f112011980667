package io.jvmwatchdog.core.model;

/**
 * A lock as the JVM names it: a monitor or a {@code java.util.concurrent} synchronizer, by class and
 * identity hash code. Printed {@code class@identity}, the way {@code Object.toString} would.
 */
public record LockRef(String className, int identityHashCode) {
    @Override
    public String toString() {
        return className + "@" + Integer.toHexString(identityHashCode);
    }
}
