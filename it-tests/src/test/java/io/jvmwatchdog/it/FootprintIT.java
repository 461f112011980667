package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.HealthyApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent opens no network port and holds no file but the ones the user names: read from the
 * running JVM's own descriptors ({@code /proc/<pid>/fd}), once the watchdog is running. Its one
 * temporary file, the boot runtime jar, is gone from the temporary directory by then.
 *
 * <p>One socket may show: the JDK's file channels share an AF_UNIX socket pair, made the first time
 * any NIO file channel is used (HotSpot's FileDispatcherImpl uses it to close descriptors safely);
 * the agent's NIO file writes make it, as an application's own would. It is no port: the test
 * checks that no socket of the process is an internet socket and none is listening.
 */
class FootprintIT {

    @Test
    void aWatchedJvmHoldsNoSocketAndNoFileButTheNamedOnes(@TempDir Path tmp) throws IOException {
        Path events = tmp.resolve("events.jsonl");
        Path jvmTmp = Files.createDirectory(tmp.resolve("jvm-tmp"));
        try (JvmProcess app = JvmProcess.app(HealthyApp.class).args("20000")
                .agent("timeout=2s,events=" + events).tmpDir(jvmTmp).start()) {
            app.awaitStdout("app: ready", Deadlines.START);
            app.awaitStderr("JVM Watchdog started", Deadlines.START);

            List<String> open = openFiles(app.pid());
            List<String> unexpected = new ArrayList<>();
            for (String target : open) {
                boolean expected = target.startsWith("pipe:") || target.startsWith("anon_inode:")
                        || target.startsWith("socket:")
                        || target.startsWith("/dev/") || target.startsWith("/proc/")
                        || target.startsWith(ItEnv.javaHome().toString())
                        || target.equals(ItEnv.agentJar().toString())
                        || target.startsWith(ItEnv.testClasses().toString())
                        || target.equals(events.toString())
                        || target.startsWith("/tmp/hsperfdata_") || target.contains("/hsperfdata_")
                        || target.startsWith("/usr/lib/jvm/")
                        // the boot runtime jar: the boot loader keeps it open, its name is gone
                        || (target.startsWith(jvmTmp.toString()) && target.endsWith(".jar (deleted)"));
                if (!expected) {
                    unexpected.add(target);
                }
            }
            assertEquals(List.of(), unexpected, () -> "descriptors the agent should not hold; all: " + open
                    + "\n" + app.describe());
            List<String> network = networkSockets(open);
            assertEquals(List.of(), network, () -> "internet or listening sockets: " + network + "; all: " + open);
            try (Stream<Path> left = Files.list(jvmTmp)) {
                List<Path> files = left.toList();
                assertEquals(List.of(), files, "the boot runtime jar is deleted once loaded");
            }
        }
    }

    /**
     * The sockets among {@code open} that are internet sockets (listed in /proc/net/tcp, tcp6, udp,
     * udp6, raw, raw6) or listening unix sockets (flag __SO_ACCEPTCON, 00010000, in /proc/net/unix).
     */
    private static List<String> networkSockets(List<String> open) throws IOException {
        List<String> found = new ArrayList<>();
        for (String target : open) {
            if (!target.startsWith("socket:[")) {
                continue;
            }
            String inode = target.substring("socket:[".length(), target.length() - 1);
            for (String table : List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6")) {
                Path file = Path.of("/proc/net", table);
                if (Files.exists(file) && Files.readAllLines(file).stream()
                        .anyMatch(line -> List.of(line.trim().split("\\s+")).contains(inode))) {
                    found.add(target + " in " + file);
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 7 && f[6].equals(inode) && (Integer.parseInt(f[3], 16) & 0x10000) != 0) {
                    found.add(target + " listening: " + line);
                }
            }
        }
        return found;
    }

    /** Where each of the process's descriptors points (the link's text). */
    private static List<String> openFiles(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed between list and read
                }
            }
        }
        return targets;
    }
}
