package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.agent.ProbeCheck.Finding;
import io.jvmwatchdog.agent.ProbeCheck.Outcome;
import io.jvmwatchdog.agent.ProbeCheck.Presence;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The install check's verdict, from facts alone (what the JDK has, what Byte Buddy transformed, which
 * cheap probes fired): only a probe for an uninterruptible wait that is not in place warrants a WARN.
 */
class ProbeCheckTest {

    private static final List<BlockingProbes.Probe> TABLE = BlockingProbes.TABLE;
    private static final Function<BlockingProbes.Probe, Presence> ALL_PRESENT = p -> Presence.PRESENT;

    private static final String AQS = "java.util.concurrent.locks.AbstractQueuedSynchronizer";
    private static final String CONSEQUENCE = " are seen only through ThreadMXBean's thread state, which cannot"
            + " tell them from healthy waits: a thread hung in one may be judged healthy and go unreported.";

    @Test
    void everyProbeWoven_noWarning() {
        List<Finding> findings = ProbeCheck.findings(TABLE, ALL_PRESENT, allTypes(), Map.of());
        assertTrue(findings.stream().allMatch(f -> f.outcome() == Outcome.WOVEN), findings::toString);
        assertEquals(Optional.empty(), ProbeCheck.warning(findings));
    }

    @Test
    void lockProbeNotWoven_warnsNamingIt_andWhatItMeans() {
        Set<String> transformed = allTypes();
        transformed.remove(AQS);
        assertEquals(Optional.of("JVM Watchdog: probes for uninterruptible waits are not in place on this JVM: lock " + AQS
                        + " (not woven). Waits of these kinds (lock acquisition)" + CONSEQUENCE),
                ProbeCheck.warning(ProbeCheck.findings(TABLE, ALL_PRESENT, transformed, Map.of())));
    }

    @Test
    void cheapProbeWovenButSilent_warns_unlessItsWaitIsInterruptible() {
        List<Finding> findings = ProbeCheck.findings(TABLE, ALL_PRESENT, allTypes(), Map.of(
                "file-io java.io.FileInputStream", false, "lock " + AQS, true,
                // Java 17: Thread.sleep(long) is native, the probe cannot see it.
                "sleep java.lang.Thread", false, "park java.util.concurrent.locks.LockSupport", true));
        assertEquals(Optional.of("JVM Watchdog: probes for uninterruptible waits are not in place on this JVM: "
                        + "file-io java.io.FileInputStream (woven but did not fire). Waits of these kinds (file or pipe I/O)" + CONSEQUENCE),
                ProbeCheck.warning(findings));
        assertEquals(Outcome.WOVEN_DID_NOT_FIRE, outcome(findings, "sleep java.lang.Thread"));
        assertEquals(Outcome.FIRED, outcome(findings, "lock " + AQS));
    }

    @Test
    void classPresentWithoutTheRowsMethod_warns() {
        Function<BlockingProbes.Probe, Presence> dnsRenamed =
                p -> p.typeName().equals("java.net.InetAddress") ? Presence.NO_METHOD : Presence.PRESENT;
        assertEquals(Optional.of("JVM Watchdog: probes for uninterruptible waits are not in place on this JVM: "
                        + "dns java.net.InetAddress (no method of the row on this JDK). Waits of these kinds (DNS lookup)" + CONSEQUENCE),
                ProbeCheck.warning(ProbeCheck.findings(TABLE, dnsRenamed, allTypes(), Map.of())));
    }

    @Test
    void severalMissing_oneLine_eachKindNamedOnce() {
        Set<String> transformed = allTypes();
        transformed.remove("sun.nio.ch.NioSocketImpl");
        transformed.remove("java.lang.ProcessImpl");
        assertEquals(Optional.of("JVM Watchdog: probes for uninterruptible waits are not in place on this JVM: "
                        + "socket-read sun.nio.ch.NioSocketImpl (not woven), socket-write sun.nio.ch.NioSocketImpl (not woven), "
                        + "socket-connect sun.nio.ch.NioSocketImpl (not woven), process-wait java.lang.ProcessImpl (not woven). "
                        + "Waits of these kinds (socket read, socket write, socket connect, waiting for a process)" + CONSEQUENCE),
                ProbeCheck.warning(ProbeCheck.findings(TABLE, ALL_PRESENT, transformed, Map.of())));
    }

    @Test
    void interruptibleOrIdleProbesMissing_stayInTheDebugLineOnly() {
        Set<String> transformed = allTypes();
        for (String type : List.of("java.util.concurrent.locks.LockSupport", "java.lang.Thread", "java.lang.Object",
                "sun.nio.ch.SelectorImpl", "sun.nio.ch.ServerSocketChannelImpl", "sun.nio.ch.DatagramChannelImpl",
                "java.net.DatagramSocket", "java.lang.ProcessHandleImpl$1")) {
            transformed.remove(type);
        }
        List<Finding> findings = ProbeCheck.findings(TABLE, ALL_PRESENT, transformed, Map.of());
        assertEquals(Optional.empty(), ProbeCheck.warning(findings));
        assertEquals(Outcome.NOT_WOVEN, outcome(findings, "park java.util.concurrent.locks.LockSupport"));
    }

    @Test
    void rowsAbsentOnThisJdk_areNoWarning() {
        List<Finding> findings = ProbeCheck.findings(TABLE, p -> Presence.CLASS_ABSENT, Set.of(), Map.of());
        assertTrue(findings.stream().allMatch(f -> f.outcome() == Outcome.ABSENT), findings::toString);
        assertEquals(Optional.empty(), ProbeCheck.warning(findings));
    }

    /** Every row of the table's "Uninterruptible" block, and only those, can warrant the WARN. */
    @Test
    void theRowsThatCanWarn_areTheUninterruptibleBlock() {
        List<String> canWarn = ProbeCheck.findings(TABLE, ALL_PRESENT, Set.of(), Map.of()).stream()
                .filter(Finding::warrantsWarning).map(Finding::key).toList();
        assertEquals(List.of("socket-read sun.nio.ch.NioSocketImpl", "socket-write sun.nio.ch.NioSocketImpl",
                "socket-connect sun.nio.ch.NioSocketImpl", "socket-read sun.nio.ch.SocketChannelImpl",
                "socket-write sun.nio.ch.SocketChannelImpl", "socket-connect sun.nio.ch.SocketChannelImpl",
                "dns java.net.InetAddress", "file-io java.io.FileInputStream", "file-io java.io.FileOutputStream",
                "file-io java.io.RandomAccessFile", "file-io sun.nio.ch.FileChannelImpl",
                "lock java.util.concurrent.locks.AbstractQueuedSynchronizer",
                "lock java.util.concurrent.locks.AbstractQueuedLongSynchronizer", "process-wait java.lang.ProcessImpl"), canWarn);
    }

    /** Asking the JDK for a class loads it, which weaves it: what was transformed is read after. */
    @Test
    void presenceIsAskedBeforeTransformedIsRead() {
        Set<String> transformed = new HashSet<>();
        List<Finding> findings = ProbeCheck.findings(TABLE, p -> {
            transformed.add(p.typeName());
            return Presence.PRESENT;
        }, transformed, Map.of());
        assertEquals(Optional.empty(), ProbeCheck.warning(findings));
    }

    /** The line HealthyBlockingIT and the README read: {@code kind class: outcome; ...}. */
    @Test
    void debugLine_namesEveryRowWithItsOutcome() {
        List<BlockingProbes.Probe> three = List.of(TABLE.get(0), row("java.lang.Thread"), row("java.lang.ProcessImpl"));
        List<Finding> findings = ProbeCheck.findings(three,
                p -> p.typeName().equals("java.lang.ProcessImpl") ? Presence.CLASS_ABSENT : Presence.PRESENT,
                Set.of("java.lang.Thread"), Map.of("sleep java.lang.Thread", false));
        assertEquals("socket-read sun.nio.ch.NioSocketImpl: NOT woven (ThreadMXBean counters cover it); "
                + "sleep java.lang.Thread: woven, did not fire (ThreadMXBean counters cover it); "
                + "process-wait java.lang.ProcessImpl: absent on this JDK", ProbeCheck.debugLine(findings));
    }

    private static BlockingProbes.Probe row(String typeName) {
        return TABLE.stream().filter(p -> p.typeName().equals(typeName)).findFirst().orElseThrow();
    }

    private static Outcome outcome(List<Finding> findings, String key) {
        return findings.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().outcome();
    }

    private static Set<String> allTypes() {
        Set<String> all = new HashSet<>();
        TABLE.forEach(p -> all.add(p.typeName()));
        return all;
    }
}
