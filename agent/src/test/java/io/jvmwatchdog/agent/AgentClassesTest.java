package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class AgentClassesTest {

    @Test
    void aJarOfStoredEntries_isCutIntoItsClassFiles_inItsOrder() throws IOException {
        byte[] a = classFile(AgentClasses.class);
        byte[] b = classFile(ClassHeader.class);
        byte[] jar = jar(false, Map.of("META-INF/MANIFEST.MF", new byte[] {1, 2}), "x/A.class", a, "x/y/B$C.class", b);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        assertTrue(AgentClasses.sliceStored(jar, classes));
        assertEquals(List.of("x.A", "x.y.B$C"), List.copyOf(classes.keySet()), "class files only, by binary name, in order");
        assertArrayEquals(a, classes.get("x.A"));
        assertArrayEquals(b, classes.get("x.y.B$C"));
    }

    @Test
    void aJarItCannotCut_isSaidSo_forTheCallerToReadAsAStream() throws IOException {
        byte[] a = classFile(AgentClasses.class);
        assertFalse(AgentClasses.sliceStored(jar(true, Map.of(), "x/A.class", a), new LinkedHashMap<>()), "deflated");
        byte[] stored = jar(false, Map.of(), "x/A.class", a);
        assertFalse(AgentClasses.sliceStored(java.util.Arrays.copyOf(stored, stored.length / 2), new LinkedHashMap<>()),
                "cut short");
        assertFalse(AgentClasses.sliceStored(new byte[] {1, 2, 3}, new LinkedHashMap<>()), "not a jar");
    }

    @Test
    void definitionOrder_putsEachClassAfterItsSupertypesAmongThem() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put(Sub.class.getName(), classFile(Sub.class));
        classes.put(Mid.class.getName(), classFile(Mid.class));
        classes.put(Top.class.getName(), classFile(Top.class));
        assertEquals(List.of(Top.class.getName(), Mid.class.getName(), Sub.class.getName()),
                AgentClasses.definitionOrder(classes));
    }

    interface Top {
    }

    abstract static class Mid implements Top {
    }

    static final class Sub extends Mid {
    }

    /** A jar of the named entries (name, bytes, name, bytes...), stored or deflated, after {@code first}. */
    private static byte[] jar(boolean deflated, Map<String, byte[]> first, Object... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : first.entrySet()) {
                put(zip, deflated, e.getKey(), e.getValue());
            }
            for (int i = 0; i < entries.length; i += 2) {
                put(zip, deflated, (String) entries[i], (byte[]) entries[i + 1]);
            }
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, boolean deflated, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (!deflated) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
