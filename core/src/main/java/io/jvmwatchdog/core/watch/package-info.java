/**
 * The watchdog loop: a port of gVisor's sentry watchdog to JVM threads.
 *
 * <p><b>What is scanned.</b> Every period (by default a quarter of the timeout) the loop samples every
 * live platform thread with one {@code getThreadInfo(ids, 0)} call, which does not stop the world:
 * the JVM's state, its blocked and waited counters, and the lock it waits on with its owner. The
 * instrumentation adds, per thread and without reading the clock, the unit of work it is in (a task
 * run by a JDK executor, an {@code entry=} method, an API section), the blocking call it is in, and a
 * counter of transitions. Any change of that signature between passes is progress.
 *
 * <p><b>What counts as stuck.</b> A signature unchanged for the timeout: in an executor task, while
 * running, in one uninterruptible wait (socket or file I/O, DNS, lock(), Process.waitFor) or blocked
 * on a monitor; in an {@code entry=} method or section, in any state; in any thread at all, while
 * blocked entering the same monitor or in the same lock acquisition. Threads in a deadlock cycle are
 * stuck at once; the search for cycles stops the world, so it runs only when the set of long lock
 * waiters changes. Time during which the JVM did not run (the loop more than a second late, or
 * stop-the-world GC) is discounted, a verdict falling in such a pause waits one pass, and a thread a
 * debugger suspended is never stuck.
 *
 * <p><b>What happens next.</b> {@code log}: a warning naming each stuck thread, what it waits on and
 * the chain of lock holders to the root, with a full thread dump when a thread is newly stuck, and
 * the same offenders repeated at most once a minute without a dump; a recovery is reported once. {@code panic}: the report and dump are written, flushed with a
 * bounded wait, and the JVM is halted with status 70. The sampling itself runs with a deadline; if it
 * overruns the timeout, the watchdog reports itself stuck.
 */
package io.jvmwatchdog.core.watch;
