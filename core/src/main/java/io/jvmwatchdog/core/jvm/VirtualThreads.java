package io.jvmwatchdog.core.jvm;

/**
 * What the JVM says of a virtual thread, read from the thread object (Java 21+; ThreadMXBean lists
 * platform threads only). Compiled for Java 17: nothing here names a Java 21 API, and on 17 no state
 * ever holds a virtual thread, so none of it runs.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * The name of the carrier the thread is mounted on, or null when it is not mounted. No public API
     * says it; {@code VirtualThread.toString()} does, the same way on Java 21 to 25:
     * {@code VirtualThread[#21,name]/runnable@ForkJoinPool-1-worker-1} when mounted, and
     * {@code VirtualThread[#21,name]/waiting} when not. The part before the state is rebuilt from the
     * id and name, so a name holding '@' or "]/" cannot mislead the parse.
     */
    public static String carrierName(Thread thread) {
        String name = thread.getName();
        String prefix = "VirtualThread[#" + thread.getId() + (name.isEmpty() ? "" : "," + name) + "]/";
        String text = thread.toString();
        if (!text.startsWith(prefix)) {
            return null; // renamed meanwhile, or another kind of virtual thread
        }
        int at = text.indexOf('@', prefix.length());
        return at < 0 ? null : text.substring(at + 1);
    }
}
