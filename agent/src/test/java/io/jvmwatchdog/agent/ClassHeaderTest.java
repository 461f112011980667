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
    void utf8sHeld_findsTheStringsOfThePool_andNothingElse() throws Exception {
        byte[] longClass = classFile(Long.class);
        byte[] toString = bytes("(J)Ljava/lang/String;"); // Long.toString(long)'s descriptor
        byte[] servlet = bytes("(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)V");
        byte[] parseLong = bytes("(Ljava/lang/String;)J");
        assertEquals(0b1, ClassHeader.utf8sHeld(longClass, new byte[][] {toString}));
        assertEquals(0, ClassHeader.utf8sHeld(longClass, new byte[][] {servlet}));
        assertEquals(0b101, ClassHeader.utf8sHeld(longClass, new byte[][] {toString, servlet, parseLong}), "each one's bit");
        assertEquals(0, ClassHeader.utf8sHeld(bytes("not a class file"), new byte[][] {bytes("class")}),
                "garbage is no match, and no error");
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
