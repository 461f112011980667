package io.jvmwatchdog.core.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Blind spots: threads busy for a whole window outside any unit, on fake CPU clocks and fake time. */
class BusyThreadsTest {

    private static final long W = 2_000_000_000L;
    private final Map<Long, Long> cpu = new HashMap<>();
    private int stacksRead;

    private final BusyThreads busy = new BusyThreads(new BusyThreads.Source() {
        @Override
        public Map<Long, String> threads() {
            Map<Long, String> m = new LinkedHashMap<>();
            cpu.keySet().forEach(id -> m.put(id, "t" + id));
            return m;
        }

        @Override
        public long[] cpuNanos(long[] ids) {
            long[] out = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = cpu.get(ids[i]);
            }
            return out;
        }

        @Override
        public StackTraceElement[] stack(long id) {
            stacksRead++;
            return new StackTraceElement[] {
                new StackTraceElement("com.example.Crunch", "step", "Crunch.java", 20),
                new StackTraceElement("com.example.Crunch", "loop", "Crunch.java", 10),
                new StackTraceElement("java.lang.Thread", "run", "Thread.java", 840)};
        }
    });

    @Test
    void aThreadBusyForAWholeWindowOutsideAnyUnitIsListed_withItsEntry() {
        long t = 123_456_789L;
        cpu.put(1L, 0L);   // spins
        cpu.put(2L, 0L);   // mostly idle
        cpu.put(3L, 0L);   // spins, but in a unit: judged by the rules
        assertEquals(List.of(), busy.update(t, W, Set.of(3L)), "the first look has nothing to compare with");
        cpu.put(1L, W);
        cpu.put(2L, W / 10);
        cpu.put(3L, W);
        assertEquals(List.of(), busy.update(t + W / 2, W, Set.of(3L)), "not a window yet: not looked again");
        List<BusyThreads.Busy> listed = busy.update(t + W, W, Set.of(3L));
        assertEquals(1, listed.size(), listed.toString());
        BusyThreads.Busy b = listed.get(0);
        assertEquals(1L, b.threadId());
        assertEquals(100, b.cpuPercent());
        assertEquals(W, b.busyNanos());
        assertEquals("com.example.Crunch#loop", b.suggestedEntry());
        assertEquals("com.example.Crunch.step(Crunch.java:20)", b.topFrames().get(0));

        cpu.put(1L, 2 * W);
        assertEquals(2 * W, busy.update(t + 2 * W, W, Set.of(3L)).get(0).busyNanos(), "still busy: for longer");
        assertEquals(1, stacksRead, "its stack is read once");
        cpu.put(1L, 2 * W + W / 5);
        assertEquals(List.of(), busy.update(t + 3 * W, W, Set.of(3L)), "a fifth of a core: no longer steadily busy");
    }

    @Test
    void theSuggestedEntryIsTheOutermostFrameOutsideTheJdk() {
        assertNull(BusyThreads.suggestedEntry(new StackTraceElement[] {
            new StackTraceElement("java.util.HashMap", "get", null, -1),
            new StackTraceElement("java.lang.Thread", "run", null, -1)}));
        assertTrue(BusyThreads.suggestedEntry(new StackTraceElement[] {
            new StackTraceElement("com.example.A", "inner", null, -1),
            new StackTraceElement("com.example.App$$Lambda$14/0x1", "run", null, -1),
            new StackTraceElement("com.example.B", "outer", null, -1),
            new StackTraceElement("java.lang.Thread", "run", null, -1)}).equals("com.example.B#outer"));
    }
}
