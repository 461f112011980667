package io.jvmwatchdog.agent;

import java.security.ProtectionDomain;

/**
 * The agent's one direct call into the JDK's internal {@code jdk.internal.misc.Unsafe} (see {@link
 * AgentClasses#openUnsafe}, which exports its package to the agent's module before this runs). Compiled
 * apart, for Java 17 but without {@code --release} (which refuses a JDK-internal package): called
 * through reflection, the call cost Java 25 15 ms of the start, the time to spin a method handle for
 * its signature.
 */
final class UnsafeDefiner {

    private UnsafeDefiner() {
    }

    /** Defines the class in {@code loader} (null: the bootstrap loader) without linking it. */
    static Class<?> define(String name, byte[] bytes, int offset, int length, ClassLoader loader, ProtectionDomain domain) {
        return jdk.internal.misc.Unsafe.getUnsafe().defineClass(name, bytes, offset, length, loader, domain);
    }
}
