package io.jvmwatchdog.core.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ThreadDumpFormatterTest {

    private final Object monitor = new Object();

    @Test
    void format_followsJstackLayout_withLocksAndTheStuckTag() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            try {
                synchronized (monitor) {
                    holding.countDown();
                    release.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }, "holder");
        holder.setDaemon(true);
        holder.start();
        try {
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            ThreadInfo info = awaitWaiting(mx, holder.getId());
            String text = ThreadDumpFormatter.format("Full thread dump test:", java.util.List.of(info),
                    Map.of(holder.getId(), "STUCK 2.4s waiting"), true, Long.MAX_VALUE, null);
            assertMatches("(?s)Full thread dump test:\n\n\"holder\" #" + holder.getId()
                    + " daemon prio=5 waiting on condition  \\[STUCK 2.4s waiting]\n"
                    + "   java.lang.Thread.State: WAITING\n"
                    + "\tat jdk.internal.misc.Unsafe.park\\(java.base@[^/]+/Native Method\\)\n"
                    + "\t- parking to wait for  <0x[0-9a-f]{16}> \\(a java.util.concurrent.CountDownLatch\\$Sync\\)\n"
                    + ".*\tat io.jvmwatchdog.core.report.ThreadDumpFormatterTest.lambda\\$[^\n]+\n"
                    + "\t- locked <0x[0-9a-f]{16}> \\(a java.lang.Object\\)\n"
                    + ".*\n   Locked ownable synchronizers:\n"
                    + "\t- <0x[0-9a-f]{16}> \\(a java.util.concurrent.locks.ReentrantLock\\$NonfairSync\\)\n", text);
        } finally {
            release.countDown();
            holder.join(10_000);
        }
    }

    @Test
    void format_withABudget_putsTheOffendersFirst_andCutsWithACountOfWhatItLeftOut() {
        java.util.List<ThreadInfo> all = java.util.Arrays.asList(ManagementFactory.getThreadMXBean().dumpAllThreads(true, false));
        ThreadInfo last = all.get(all.size() - 1);
        String full = ThreadDumpFormatter.format("Full thread dump test:", all, Map.of(last.getThreadId(), "STUCK"), false,
                Long.MAX_VALUE, null);
        assertTrue(full.startsWith("Full thread dump test:\n\n\"" + last.getThreadName() + "\" #" + last.getThreadId()),
                "the offender first, though the JVM listed it last:\n" + full);
        assertFalse(full.contains("Locked ownable synchronizers"), "not listed, so not claimed to be none");

        long budget = full.indexOf("\n\"", full.indexOf("\n\"") + 1) + 10; // the offender's block, and a little
        String cut = ThreadDumpFormatter.format("Full thread dump test:", all, Map.of(last.getThreadId(), "STUCK"), false,
                budget, "... 7 more thread(s) not dumped: the dump stopped at the agent's pause budget (1 % of a minute) ...");
        assertTrue(cut.endsWith("\n... " + (all.size() - 1) + " thread(s) omitted: the dump is cut at " + budget / 1024
                + " KiB ...\n\n... 7 more thread(s) not dumped: the dump stopped at the agent's pause budget (1 % of a"
                + " minute) ...\n"), cut);
        assertTrue(cut.contains("[STUCK]"), "the offender made it");
    }

    private static ThreadInfo awaitWaiting(ThreadMXBean mx, long id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            ThreadInfo info = mx.getThreadInfo(new long[] {id}, true, true)[0];
            if (info.getThreadState() == Thread.State.WAITING) {
                return info;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the holder never parked");
    }

    private static void assertMatches(String regex, String text) {
        assertTrue(Pattern.compile(regex).matcher(text).matches(), "dump did not match:\n" + text);
    }
}
