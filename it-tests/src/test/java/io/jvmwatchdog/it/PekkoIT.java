package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.PekkoApp;

/**
 * Issue 16 on Apache Pekko 1.x (typed actors, default dispatcher): the dispatcher is a {@code
 * ForkJoinPool} and an actor's mailbox is a {@code ForkJoinTask}, so one run of a mailbox (up to the
 * dispatcher's throughput of messages, 5 by default) is a {@code ForkJoinTask.doExec} unit; idle
 * dispatcher threads wait for work in the pool, outside any unit, and so does Pekko's scheduler
 * thread between ticks. No row of Pekko's own: the JDK's covers it.
 */
class PekkoIT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(PekkoApp.class).withLibraries("pekko-", "scala-library", "config-", "slf4j-api");
    }

    @Override
    String unit() {
        return "java.util.concurrent.ForkJoinTask.doExec";
    }

    /** The mailbox is the task the pool runs: the report names it by its {@code exec}. */
    @Override
    String entry() {
        return unit() + " (task org.apache.pekko.dispatch.Mailbox.exec)";
    }

}
