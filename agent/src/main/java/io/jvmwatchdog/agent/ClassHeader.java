package io.jvmwatchdog.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a class file's constant pool and header say, without a bytecode library: its supertypes
 * (the boot runtime is defined before Byte Buddy is loaded, see {@link BootRuntime}), and whether it
 * names a string ({@link LoadFilter}, in front of Byte Buddy).
 */
final class ClassHeader {

    private ClassHeader() {
    }

    /** The binary names of the superclass (none for {@code java.lang.Object}) and the interfaces. */
    static List<String> supertypes(byte[] b) {
        int count = u2(b, 8);
        int[] offsets = new int[count]; // where each constant-pool entry's contents begin
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[at] & 0xff;
            offsets[i] = at + 1;
            at += 1 + switch (tag) {
                case 1 -> 2 + u2(b, at + 1);            // Utf8
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 4;  // Integer, Float, refs, NameAndType, Dynamic
                case 5, 6 -> 8;                         // Long, Double: two slots
                case 7, 8, 16, 19, 20 -> 2;             // Class, String, MethodType, Module, Package
                case 15 -> 3;                           // MethodHandle
                default -> throw new IllegalArgumentException("not a class file: constant tag " + tag);
            };
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        at += 2 + 2; // access flags, this_class
        List<String> names = new ArrayList<>();
        int superClass = u2(b, at);
        if (superClass != 0) {
            names.add(className(b, offsets, superClass));
        }
        int interfaces = u2(b, at + 2);
        for (int i = 0; i < interfaces; i++) {
            names.add(className(b, offsets, u2(b, at + 4 + 2 * i)));
        }
        return names;
    }

    /**
     * Whether the constant pool holds {@code utf8} as one of its strings (a name or a descriptor the
     * class uses). Walks the pool's entries and compares only strings of the same length: a few
     * hundred steps where a scan of every byte would take thousands, and it runs on every class a
     * service loads, interpreted at first.
     */
    static boolean hasUtf8(byte[] b, byte[] utf8) {
        if (b.length < 10) {
            return false;
        }
        int count = u2(b, 8);
        int at = 10;
        for (int i = 1; i < count && at < b.length; i++) {
            int tag = b[at] & 0xff;
            if (tag == 1) {
                int length = u2(b, at + 1);
                if (length == utf8.length && java.util.Arrays.equals(b, at + 3, at + 3 + length, utf8, 0, length)) {
                    return true;
                }
                at += 3 + length;
                continue;
            }
            at += 1 + switch (tag) {
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 4;
                case 5, 6 -> 8;
                case 7, 8, 16, 19, 20 -> 2;
                case 15 -> 3;
                default -> b.length; // not a class file we can read: stop
            };
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        return false;
    }

    private static String className(byte[] b, int[] offsets, int classIndex) {
        int utf8 = offsets[u2(b, offsets[classIndex])];
        // Class names in our own class files are ASCII: modified UTF-8 and ISO-8859-1 agree there.
        return new String(b, utf8 + 2, u2(b, utf8), java.nio.charset.StandardCharsets.ISO_8859_1).replace('/', '.');
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
