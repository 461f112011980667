package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The constant-pool reader, against the running JDK's own class files (with Long and Double entries). */
class ClassHeaderTest {

    @Test
    void supertypes_areTheSuperclassThenTheInterfaces_asReflectionSaysThem() throws Exception {
        for (Class<?> c : List.of(Long.class, Double.class, java.util.concurrent.ThreadPoolExecutor.class, Object.class)) {
            List<String> expected = new ArrayList<>();
            if (c.getSuperclass() != null) {
                expected.add(c.getSuperclass().getName());
            }
            for (Class<?> i : c.getInterfaces()) {
                expected.add(i.getName());
            }
            assertEquals(expected, ClassHeader.supertypes(classFile(c)), c.getName());
        }
    }

    @Test
    void methodDescriptorsDeclared_findsTheDescriptorsOfTheClassesOwnMethods_andNothingElse() throws Exception {
        byte[] longClass = classFile(Long.class);
        byte[] toString = bytes("(J)Ljava/lang/String;"); // Long.toString(long)'s descriptor
        byte[] servlet = bytes("(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)V");
        byte[] parseLong = bytes("(Ljava/lang/String;)J");
        assertEquals(0b1, ClassHeader.methodDescriptorsDeclared(longClass, new byte[][] {toString}));
        assertEquals(0, ClassHeader.methodDescriptorsDeclared(longClass, new byte[][] {servlet}));
        assertEquals(0b101, ClassHeader.methodDescriptorsDeclared(longClass, new byte[][] {toString, servlet, parseLong}),
                "each one's bit");
        // A descriptor the pool holds for a call or a field, not for a method of the class: no match.
        byte[] caller = classFile(CallsLongToString.class);
        assertEquals(0, ClassHeader.methodDescriptorsDeclared(caller, new byte[][] {toString}), "a call only");
        assertEquals(0b1, ClassHeader.methodDescriptorsDeclared(caller, new byte[][] {bytes("(I)V")}), "its own method");
        assertEquals(0, ClassHeader.methodDescriptorsDeclared(bytes("not a class file"), new byte[][] {bytes("class")}),
                "garbage is no match, and no error");
        // A truncated class file: no error, and no bit but the true one (found if its method came before the cut).
        for (int cut = 0; cut < longClass.length; cut += 97) {
            int found = ClassHeader.methodDescriptorsDeclared(java.util.Arrays.copyOf(longClass, cut),
                    new byte[][] {toString, servlet});
            assertEquals(0, found & ~0b1, "cut at " + cut);
        }
    }

    @Test
    void methodDescriptorsDeclared_findsTheMethod_whenThePoolHoldsItsDescriptorTwice() throws Exception {
        // The class-file format lets a pool hold a string twice (javac and ASM write it once): the
        // method names the first copy, a second one comes after it; a look that kept one index per
        // string (the last) missed the method.
        byte[] takeInt = bytes("(I)V");
        byte[] twice = withASecondCopy(classFile(CallsLongToString.class), "(I)V");
        assertEquals(0b1, ClassHeader.methodDescriptorsDeclared(twice, new byte[][] {takeInt}));
        assertEquals(ClassHeader.supertypes(classFile(CallsLongToString.class)), ClassHeader.supertypes(twice),
                "the copy is a well-formed class file");
    }

    /** The class file with a second copy of the pool's string {@code utf8} appended to its pool. */
    private static byte[] withASecondCopy(byte[] b, String utf8) {
        byte[] wanted = bytes(utf8);
        int count = u2(b, 8);
        int at = 10;
        boolean held = false;
        for (int i = 1; i < count; i++) {
            int tag = b[at] & 0xff;
            held |= tag == 1 && u2(b, at + 1) == wanted.length
                    && java.util.Arrays.equals(b, at + 3, at + 3 + wanted.length, wanted, 0, wanted.length);
            at += switch (tag) {
                case 1 -> 3 + u2(b, at + 1);
                case 5, 6 -> 9;
                case 7, 8, 16, 19, 20 -> 3;
                case 15 -> 4;
                default -> 5;
            };
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        assertTrue(held, "the pool holds " + utf8);
        byte[] out = new byte[b.length + 3 + wanted.length];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = 1; // a UTF-8 entry: tag, length, bytes
        out[at + 1] = (byte) (wanted.length >> 8);
        out[at + 2] = (byte) wanted.length;
        System.arraycopy(wanted, 0, out, at + 3, wanted.length);
        System.arraycopy(b, at, out, at + 3 + wanted.length, b.length - at);
        out[8] = (byte) ((count + 1) >> 8);
        out[9] = (byte) (count + 1);
        return out;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** Calls {@code Long.toString(long)} (whose descriptor is then in its pool) but declares no such method. */
    static final class CallsLongToString {
        String field = Long.toString(1L);

        void take(int i) {
            field = Long.toString(i);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] classFile(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
