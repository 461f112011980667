package io.jvmwatchdog.core.model;

/** Which rule judges a thread: the unit of work it is in, if any. */
public enum UnitKind {
    /**
     * A default unit of work (an executor task): stuck when running with no transition, or in one
     * uninterruptible wait, past the timeout. Interruptible waits in it are healthy.
     */
    TASK,
    /** An {@code entry=} method or an API section: stuck in any one state past the timeout. */
    BUDGETED,
    /**
     * Not in a unit. Only lock waits count: blocked entering the same monitor, or in the same
     * non-interruptible lock acquisition, past the timeout (no healthy thread waits that long for a lock).
     */
    NONE
}
