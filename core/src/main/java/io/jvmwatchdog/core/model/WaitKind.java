package io.jvmwatchdog.core.model;

import io.jvmwatchdog.boot.Blocking;

/**
 * The blocking calls the instrumentation marks, classified as Linux's hung-task detector classifies
 * sleeps: an uninterruptible wait that lasts is a hang; an interruptible or idle one is healthy
 * (outside a budgeted unit).
 */
public enum WaitKind {
    SOCKET_READ(Blocking.SOCKET_READ, "socket read", false),
    SOCKET_WRITE(Blocking.SOCKET_WRITE, "socket write", false),
    SOCKET_CONNECT(Blocking.SOCKET_CONNECT, "socket connect", false),
    FILE_IO(Blocking.FILE_IO, "file or pipe I/O", false),
    DNS(Blocking.DNS, "DNS lookup", false),
    LOCK(Blocking.LOCK, "lock acquisition", false),
    PROCESS_WAIT(Blocking.PROCESS_WAIT, "waiting for a process", false),
    PARK(Blocking.PARK, "parked", true),
    SLEEP(Blocking.SLEEP, "sleeping", true),
    SELECT(Blocking.SELECT, "selector select", true),
    ACCEPT(Blocking.ACCEPT, "accept", true),
    DATAGRAM_RECEIVE(Blocking.DATAGRAM_RECEIVE, "datagram receive", true),
    CHILD_EXIT(Blocking.CHILD_EXIT, "waiting for a child process to exit", true),

    /**
     * A virtual thread waiting without unmounting: parked or waiting while pinned (a native frame or a
     * class initialiser on its stack; on Java 21-23 also a monitor held). Its carrier, one of a few
     * the whole JVM shares, waits with it; not a call the probes mark, so it has no code.
     */
    PINNED(-1, "waiting without unmounting", false);

    private static final WaitKind[] BY_CODE = new WaitKind[Blocking.COUNT];

    static {
        for (WaitKind k : values()) {
            if (k.code >= 0) {
                BY_CODE[k.code] = k;
            }
        }
    }

    private final int code;
    private final String label;
    private final boolean interruptible;

    WaitKind(int code, String label, boolean interruptible) {
        this.code = code;
        this.label = label;
        this.interruptible = interruptible;
    }

    /** The kind for a boot runtime code, or null for NONE or an unknown code. */
    public static WaitKind of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** Interruptible or idle: healthy outside a budgeted unit. */
    public boolean interruptible() {
        return interruptible;
    }
}
