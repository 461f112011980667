package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.Options;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/**
 * The lean weaver weaves exactly the classes and methods the rows mean: checked against every class
 * of every library line the build copies, with Byte Buddy's matchers as the oracle ({@link
 * RowMatchers}: type descriptions, hierarchies resolved by a type pool), both ways.
 */
class LeanWeaverSelectionTest {

    private static final List<UnitsOfWork.Unit> UNITS = EarlyInstrumentation.units(Options.defaults(), Set.of());
    private static final LeanWeaver WEAVER = new LeanWeaver(null, List.of(), false, UNITS, true, line -> { }, Set.of());

    @Test
    void everyClassARowWeaves_passes_andMostOthersDoNot() throws Exception {
        int woven = 0;
        int refused = 0;
        List<String> missed = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        boolean servletSeen = false;
        for (ClassSource line : ClassSource.libraryLines()) {
            try (line; URLClassLoader loader = loaderOf(line)) {
                for (String typeName : line.typeNames()) {
                    Optional<TypeDescription> type = line.describe(typeName);
                    if (type.isEmpty()) {
                        continue;
                    }
                    LeanWeaver.Rows rows = WEAVER.rowsFor(loader, typeName.replace('.', '/'), null, line.classFile(typeName));
                    boolean lean = rows != null && weavesAMethod(rows, type.get());
                    if (weaves(type.get())) {
                        woven++;
                        servletSeen |= typeName.equals("jakarta.servlet.http.HttpServlet");
                        if (!lean) {
                            missed.add(line.name() + ": " + typeName);
                        }
                    } else if (lean) {
                        extra.add(line.name() + ": " + typeName);
                    } else if (rows == null) {
                        refused++;
                    }
                }
            }
        }
        assertEquals(List.of(), missed, "classes a row means, not woven");
        assertEquals(List.of(), extra, "classes woven that no row means");
        assertTrue(woven > 30, "positive control: rows weave classes of the lines, " + woven);
        assertTrue(servletSeen, "positive control: a class woven by the servlet hierarchy row was checked");
        assertTrue(refused > 10_000, "nearly every class is passed over at one lookup: " + refused);
    }

    @Test
    void aServletRowsMarker_needsALoaderThatSeesTheApi_andNamesAreMatchedRelocatedToo() {
        byte[] declaresService = ("xx(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)Vxx")
                .getBytes(StandardCharsets.UTF_8);
        assertNull(WEAVER.rowsFor(null, "com/example/MyServlet", null, declaresService), "the boot loader has no servlet API");
        assertNull(WEAVER.rowsFor(null, null, null, declaresService), "hidden classes are never woven");
        assertNotNull(WEAVER.rowsFor(null, "java/util/concurrent/ThreadPoolExecutor", null, new byte[0]));
        assertNotNull(WEAVER.rowsFor(null, "io/grpc/netty/shaded/io/netty/channel/nio/NioEventLoop", null, new byte[0]),
                "relocated Netty");
        assertNull(WEAVER.rowsFor(null, "com/example/netty/channel/nio/NioEventLoop", null, new byte[0]),
                "a relocation keeps the whole name");
    }

    /** Whether the weaver's rows for a class name one of its declared methods, as the weaver tests them. */
    private static boolean weavesAMethod(LeanWeaver.Rows rows, TypeDescription type) {
        for (UnitsOfWork.Hook hook : rows.hooks()) {
            for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
                if (hook.which().matches(m.getActualModifiers(), m.getInternalName(), m.getDescriptor())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a row's matchers choose {@code type} and one of its declared methods, as Byte Buddy would. */
    private static boolean weaves(TypeDescription type) {
        for (UnitsOfWork.Unit unit : UNITS) {
            if (RowMatchers.types(unit).matches(type)) {
                for (UnitsOfWork.Hook hook : unit.hooks()) {
                    if (!type.getDeclaredMethods().filter(RowMatchers.methods(hook)).isEmpty()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static URLClassLoader loaderOf(ClassSource line) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path root : line.roots()) {
            urls.add(root.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), null);
    }
}
