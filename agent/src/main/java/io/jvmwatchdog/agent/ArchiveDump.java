package io.jvmwatchdog.agent;

import java.util.Set;

/**
 * Whether this JVM is writing a class-sharing archive as it runs: a Java 17+ dynamic CDS archive
 * ({@code -XX:ArchiveClassesAtExit}) or a Java 24+ AOT-cache training run ({@code -XX:AOTCacheOutput},
 * {@code -XX:AOTMode=record}).
 *
 * <p>Such a JVM must not have the classes it needs archived retransformed: HotSpot then leaves them
 * out as "redefined" and, on Java 25, crashes as it writes the cache (SIGSEGV in {@code
 * SystemDictionaryShared::serialize_vm_classes}, and with {@code java.lang.Object} in {@code
 * ArchiveBuilder::record_regenerated_object}). So the rows on those classes are left out of that run
 * only; the run that uses the archive weaves them as usual.
 */
final class ArchiveDump {

    /**
     * The classes our tables weave that HotSpot keeps as well-known classes of its own (its
     * {@code vmClasses}): a dump cannot leave them out.
     */
    static final Set<String> JVM_CLASSES = Set.of("java.lang.Thread", "java.lang.VirtualThread");

    private ArchiveDump() {
    }

    /**
     * Asks the JDK ({@code jdk.internal.misc.CDS}, exported to the agent with the boot runtime's
     * definition, see {@link BootRuntime}); false when it cannot say.
     */
    static boolean inProgress() {
        try {
            return (Boolean) Class.forName("jdk.internal.misc.CDS").getMethod("isDumpingArchive").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
