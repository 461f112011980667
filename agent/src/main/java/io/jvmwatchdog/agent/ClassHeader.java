package io.jvmwatchdog.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a class file's constant pool and header say, without a bytecode library: its
 * supertypes (the boot runtime's definition order, {@link AgentClasses#definitionOrder}, and the
 * servlet rows' hierarchy walk, {@link Supertypes}), and which of some descriptors its methods have
 * (the servlet rows' first test, in {@link LeanWeaver}, on every class loaded outside the boot
 * loader).
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
     * Which of {@code descriptors} a method the class declares has: bit {@code i} of the answer is set
     * when one of its methods (abstract or not) has {@code descriptors[i]} (at most 32). One walk over
     * the constant pool for all of them, comparing only strings of the same length, then, only where
     * the pool holds one, a walk over the fields and methods: a few hundred steps for the classes that
     * name none (nearly all: this runs on every class a service loads, interpreted at first). A class
     * that only calls such a method (a servlet filter, a valve, a filter chain) is no match: its
     * supertypes need not be read.
     */
    static int methodDescriptorsDeclared(byte[] b, byte[][] descriptors) {
        if (b.length < 10) {
            return 0;
        }
        // Per pool index, 1 + which descriptor its string is (0: none); made at the first match only.
        // By index, not one index per descriptor: a class file may hold the same string twice.
        byte[] descriptorAt = null;
        int count = u2(b, 8);
        int at = FIRST_ENTRY;
        // Every read stays inside the array: a truncated or unreadable class file is no match, it throws nothing.
        for (int i = 1; i < count; i += slots(b[at]), at = next(b, at)) {
            if (at < 0 || at + 3 > b.length) {
                return 0;
            }
            if ((b[at] & 0xff) != UTF8) {
                continue;
            }
            int length = u2(b, at + 1);
            for (int k = 0; k < descriptors.length; k++) {
                byte[] descriptor = descriptors[k];
                if (length == descriptor.length && at + 3 + length <= b.length
                        && java.util.Arrays.equals(b, at + 3, at + 3 + length, descriptor, 0, length)) {
                    if (descriptorAt == null) {
                        descriptorAt = new byte[count];
                    }
                    descriptorAt[i] = (byte) (k + 1);
                }
            }
        }
        if (descriptorAt == null || at < 0) {
            return 0;
        }
        at += 6; // access flags, this_class, super_class
        if (at + 2 > b.length) {
            return 0;
        }
        at += 2 + 2 * u2(b, at); // the interfaces
        at = skipMembers(b, at); // the fields
        if (at < 0 || at + 2 > b.length) {
            return 0;
        }
        int found = 0;
        int methods = u2(b, at);
        at += 2;
        for (int m = 0; m < methods; m++) {
            if (at + 8 > b.length) {
                return 0;
            }
            int descriptorIndex = u2(b, at + 4);
            if (descriptorIndex < count && descriptorAt[descriptorIndex] != 0) {
                found |= 1 << (descriptorAt[descriptorIndex] - 1);
            }
            at = skipAttributes(b, at + 6);
            if (at < 0) {
                return 0;
            }
        }
        return found;
    }

    /** Where the fields (or methods) table at {@code at} ends, or -1 past the array. */
    private static int skipMembers(byte[] b, int at) {
        if (at < 0 || at + 2 > b.length) {
            return -1;
        }
        int members = u2(b, at);
        at += 2;
        for (int m = 0; m < members && at >= 0; m++) {
            at = skipAttributes(b, at + 6); // access flags, name, descriptor
        }
        return at;
    }

    /** Where the attributes table at {@code at} ends, or -1 past the array. */
    private static int skipAttributes(byte[] b, int at) {
        if (at + 2 > b.length) {
            return -1;
        }
        int attributes = u2(b, at);
        at += 2;
        for (int a = 0; a < attributes; a++) {
            if (at + 6 > b.length) {
                return -1;
            }
            long end = at + 6L + u4(b, at + 2);
            if (end > b.length) {
                return -1;
            }
            at = (int) end;
        }
        return at;
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

    private static long u4(byte[] b, int at) {
        return ((long) u2(b, at) << 16) | u2(b, at + 2);
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
