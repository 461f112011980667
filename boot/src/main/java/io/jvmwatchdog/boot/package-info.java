/**
 * The boot runtime: what advice woven into application and JDK classes calls, and what the watchdog
 * reads back.
 *
 * <p>These classes MUST NOT be loaded by any class loader other than the bootstrap one: the agent
 * defines every class of this jar in the bootstrap loader before anything references it, so that advice inlined
 * into {@code java.base} classes (which only see the bootstrap loader) and advice inlined into
 * application classes reach the same statics. A second copy in another loader would split the state.
 *
 * Supertypes must stay within this package or {@code java.base}: nothing else can resolve them there.
 *
 * <p>Rules for everything here, because it runs on application threads: no locks, no clock reads, no
 * allocation after a thread's first call, no logging, never throws.
 */
package io.jvmwatchdog.boot;
