package io.jvmwatchdog.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a class file's constant pool and header say, without a bytecode library: its supertypes
 * (the boot runtime's definition order, {@link BootRuntime}, and the servlet rows' hierarchy walk,
 * {@link Supertypes}), and which of some strings it names (the servlet rows' first test, in
 * {@link LeanWeaver}, on every class loaded outside the boot loader).
 */
final class ClassHeader {

    private ClassHeader() {
    }

    /** The binary names of the superclass (none for {@code java.lang.Object}) and the interfaces. */
    static List<String> supertypes(byte[] b) {
        int count = u2(b, 8);
        int[] offsets = new int[count]; // where each constant-pool entry's contents begin
        int at = FIRST_ENTRY;
        for (int i = 1; i < count; i += slots(b[offsets[i] - 1])) {
            offsets[i] = at + 1;
            at = next(b, at);
            if (at < 0) {
                throw new IllegalArgumentException("not a class file: constant tag " + (b[offsets[i] - 1] & 0xff));
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
     * Which of {@code utf8s} the constant pool holds as one of its strings (a name or a descriptor the
     * class uses): bit {@code i} of the answer is set when it holds {@code utf8s[i]} (at most 32).
     * One walk over the pool's entries for all of them, comparing only strings of the same length: a
     * few hundred steps where a scan of every byte would take thousands, and it runs on every class a
     * service loads, interpreted at first.
     */
    static int utf8sHeld(byte[] b, byte[][] utf8s) {
        if (b.length < 10) {
            return 0;
        }
        int found = 0;
        int count = u2(b, 8);
        // Every read stays inside the array: a truncated pool ends the walk, it throws nothing.
        for (int i = 1, at = FIRST_ENTRY; i < count && at >= 0 && at + 3 <= b.length; i += slots(b[at]), at = next(b, at)) {
            if ((b[at] & 0xff) != UTF8) {
                continue;
            }
            int length = u2(b, at + 1);
            for (int k = 0; k < utf8s.length; k++) {
                byte[] utf8 = utf8s[k];
                if (length == utf8.length && at + 3 + length <= b.length
                        && java.util.Arrays.equals(b, at + 3, at + 3 + length, utf8, 0, length)) {
                    found |= 1 << k;
                }
            }
        }
        return found;
    }

    private static final int FIRST_ENTRY = 10;
    private static final int UTF8 = 1;

    /** Where the constant-pool entry after the one at {@code at} begins, or -1 for a tag this cannot read. */
    private static int next(byte[] b, int at) {
        int tag = b[at] & 0xff;
        int size = switch (tag) {
            case UTF8 -> 2 + u2(b, at + 1);
            case 3, 4, 9, 10, 11, 12, 17, 18 -> 4;  // Integer, Float, refs, NameAndType, Dynamic
            case 5, 6 -> 8;                         // Long, Double
            case 7, 8, 16, 19, 20 -> 2;             // Class, String, MethodType, Module, Package
            case 15 -> 3;                           // MethodHandle
            default -> -1;
        };
        return size < 0 ? -1 : at + 1 + size;
    }

    /** How many pool indexes the entry tagged {@code tag} takes: a Long or a Double takes two. */
    private static int slots(byte tag) {
        return tag == 5 || tag == 6 ? 2 : 1;
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
