package io.jvmwatchdog.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.it.apps.ShortLivedThreadsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-thread state is released when a thread dies: 100,000 short-lived threads, each running watched
 * tasks, leave the heap (after full GC) where it was. A leak of the agent's per-thread state (about
 * 70 bytes and a weak reference each) would show as several megabytes.
 */
class MemoryIT {

    private static final long GROWTH_BOUND_BYTES = 1024 * 1024;

    @Test
    void hundredThousandShortLivedThreadsLeaveNoStateBehind(@TempDir Path tmp) {
        JvmProcess.Result run = JvmProcess.app(ShortLivedThreadsApp.class).args("100000")
                .agent("timeout=2s,period=200ms").tmpDir(tmp).run(Duration.ofSeconds(120));
        Matcher m = Pattern.compile("app: heap before=(\\d+) after=(\\d+)").matcher(run.stdout);
        assertTrue(m.find(), run::describe);
        long growth = Long.parseLong(m.group(2)) - Long.parseLong(m.group(1));
        assertTrue(growth < GROWTH_BOUND_BYTES,
                () -> "the heap grew by " + growth + " bytes over 100,000 threads\n" + run.describe());
        assertFalse(run.stderr.contains("stuck thread"), run::describe);
    }
}
