package io.jvmwatchdog.boot;

/**
 * The cold part of a thread's state: what only a budgeted unit (an entry= method, an API section, a
 * server's request or event-loop unit) or a named pool needs. A thread that never enters one (most
 * virtual threads: a task, a few blocking calls) never has one, which keeps its state at 40 bytes; a
 * thread makes its details on the first probe that needs them and keeps them for its life, so a
 * probe allocates at most twice per thread, never per unit.
 *
 * <p>Written by the owning thread with plain stores and read by the sampler without synchronisation,
 * as the rest of {@link ThreadState}.
 */
final class UnitDetails {

    /** Of the thread's watched spans, how many are budgeted: entry= methods, sections, server units. */
    int budgetedDepth;
    /** {@link Sites} number of the outermost budgeted span. */
    int budgetedEntry;
    /** The name of that span when it is an API section ({@link Sites#SECTION}), given at run time. */
    String sectionName;
    /**
     * What the outermost budgeted unit serves, when a server says it at entry without any work: for
     * a request, {@link #subject} is its HTTP method and {@link #requestPath} its URI path (strings
     * the server already holds); for an event-loop unit, {@link #subject} is a channel or a task's
     * class. Set by the first unit that knows, cleared when the outermost budgeted unit ends, so
     * nothing of a finished request stays reachable from here.
     */
    Object subject;
    String requestPath;
    /**
     * The pool whose job or task the thread's outermost unit runs, when the advice knows it: what a
     * starved pool's workers have in common. Cleared when that unit ends; the worker belongs to the
     * pool, so this keeps nothing alive that the thread does not.
     */
    Object pool;

    UnitDetails() {
    }
}
