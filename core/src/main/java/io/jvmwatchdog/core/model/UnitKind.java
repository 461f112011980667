package io.jvmwatchdog.core.model;

/** Which rule judges a watched span. */
public enum UnitKind {
    /**
     * A default unit of work (an executor task): stuck when running with no transition past the
     * timeout. Waiting in it is healthy (a consumer in {@code take()}, a poller between checks).
     */
    TASK,
    /** An {@code entry=} method or an API section: stuck in any one state past the timeout. */
    BUDGETED
}
