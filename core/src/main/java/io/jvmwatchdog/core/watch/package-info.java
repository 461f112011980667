/**
 * The watchdog loop: a port of gVisor's sentry watchdog to JVM threads.
 *
 * <p><b>What is scanned.</b> Every period (by default a quarter of the timeout) the loop samples the
 * threads that are inside a watched span: a task run by a JDK executor, an {@code entry=} method, or
 * an API section. Instrumentation counts each thread's transitions (span entry and exit, and later
 * blocking calls) without reading the clock; ThreadMXBean adds the JVM's state and its blocked and
 * waited counters, without stopping the world. Threads outside a span are never looked at.
 *
 * <p><b>What counts as stuck.</b> A thread whose progress signature has not changed for the timeout:
 * in an executor task, while running (a spin, or a call the JVM reports as runnable, such as socket
 * I/O); in an {@code entry=} method or section, in any state. Time during which the JVM did not run
 * (the loop more than a second late) is discounted.
 *
 * <p><b>What happens next.</b> {@code log}: a warning naming each stuck thread, with a full thread
 * dump when a thread is newly stuck, and the same offenders repeated at most once a minute without a
 * dump; a recovery is reported once. {@code panic}: the report and dump are written, flushed with a
 * bounded wait, and the JVM is halted with status 70. The sampling itself runs with a deadline; if it
 * overruns the timeout, the watchdog reports itself stuck.
 */
package io.jvmwatchdog.core.watch;
