package io.jvmwatchdog.boot;

/**
 * Codes of the blocking calls the probes mark, as stored in {@link ThreadState}. The watchdog's core
 * maps each code to its meaning (label, interruptible or not); the codes are the contract between
 * advice and core, so they never change meaning.
 */
public final class Blocking {
    public static final int NONE = 0;

    // Uninterruptible: a hang if it lasts.
    public static final int SOCKET_READ = 1;
    public static final int SOCKET_WRITE = 2;
    public static final int SOCKET_CONNECT = 3;
    public static final int FILE_IO = 4;
    public static final int DNS = 5;
    public static final int LOCK = 6;
    public static final int PROCESS_WAIT = 7;

    // Interruptible or idle: a healthy wait.
    public static final int PARK = 8;
    public static final int SLEEP = 9;
    // 10 was Object.wait, no longer probed: weaving java.lang.Object breaks the JVM's class sharing
    // (see BlockingProbes). Not reused.
    public static final int SELECT = 11;
    public static final int ACCEPT = 12;
    public static final int DATAGRAM_RECEIVE = 13;
    /** The JDK's "process reaper" waiting for a child to exit: idle for as long as the child lives. */
    public static final int CHILD_EXIT = 14;

    /** One past the largest code. */
    public static final int COUNT = 15;

    private Blocking() {
    }
}
