package io.jvmwatchdog.core.jvm;

import java.util.Arrays;

/**
 * A set of longs (thread ids) by open addressing, cleared and refilled each pass without allocating:
 * a pass over ten thousand threads should not box ten thousand ids. Not thread-safe.
 */
final class LongSet {

    private static final long EMPTY = Long.MIN_VALUE; // thread ids are positive
    private long[] slots = emptyTable(64);
    private int size;

    void clear() {
        Arrays.fill(slots, EMPTY);
        size = 0;
    }

    void add(long value) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (insert(slots, value)) {
            size++;
        }
    }

    boolean contains(long value) {
        int mask = slots.length - 1;
        for (int i = index(value, mask); ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == value) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] bigger = emptyTable(slots.length * 2);
        for (long v : slots) {
            if (v != EMPTY) {
                insert(bigger, v);
            }
        }
        slots = bigger;
    }

    private static boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        for (int i = index(value, mask); ; i = (i + 1) & mask) {
            if (table[i] == value) {
                return false;
            }
            if (table[i] == EMPTY) {
                table[i] = value;
                return true;
            }
        }
    }

    private static int index(long value, int mask) {
        long h = value * 0x9E3779B97F4A7C15L; // Fibonacci hashing: consecutive ids spread out
        return (int) (h >>> 40) & mask;
    }

    private static long[] emptyTable(int length) {
        long[] table = new long[length];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
