package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    /** Armed: every class walked for the servlet rows, as once the install ends. */
    private static final LeanWeaver WEAVER = armed(new LeanWeaver(null, List.of(), false, UNITS, true, line -> { }, Set.of()));

    private static LeanWeaver armed(LeanWeaver weaver) {
        weaver.armHierarchies();
        return weaver;
    }

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

    @Test
    void theServletWalk_waitsForAClassOfTheApi_thenMakesALookAtTheLoadedClassesDue() throws Exception {
        // As a default launch makes it (the weaver before main): the walk waits for the API.
        LeanWeaver weaver = new LeanWeaver(null, List.of(), false, UNITS, false, line -> { }, Set.of());
        ClassSource servletLine = null;
        List<ClassSource> lines = ClassSource.libraryLines();
        try {
            for (ClassSource line : lines) {
                if (servletLine == null && line.typeNames().contains("jakarta.servlet.http.HttpServlet")) {
                    servletLine = line;
                }
            }
            assertNotNull(servletLine, "a library line with the jakarta servlet API");
            checkTheWalkWaits(weaver, servletLine);
        } finally {
            for (ClassSource line : lines) {
                line.close();
            }
        }
        // The javax API arms it too; a weaver made where the application ran first walks from the start.
        LeanWeaver javax = new LeanWeaver(null, List.of(), false, UNITS, false, line -> { }, Set.of());
        assertNull(javax.rowsFor(getClass().getClassLoader(), "javax/servlet/Filter", null, new byte[0]));
        assertTrue(javax.lookDue(), "a javax.servlet class arms the walk");
        LeanWeaver attach = new LeanWeaver(null, List.of(), false, UNITS, true, line -> { }, Set.of());
        assertNull(attach.rowsFor(getClass().getClassLoader(), "javax/servlet/Filter", null, new byte[0]));
        assertFalse(attach.lookDue(), "armed from the start (attach, background, after-start): no look to make");
    }

    private static void checkTheWalkWaits(LeanWeaver weaver, ClassSource servletLine) throws Exception {
        try (URLClassLoader loader = loaderOf(servletLine)) {
            ClassSource line = servletLine;
            byte[] httpServlet = line.classFile("jakarta.servlet.http.HttpServlet");
            // As if loaded under another name before any class of the API: not walked, not woven.
            assertNull(weaver.rowsFor(loader, "com/example/EarlyServlet", null, httpServlet), "no class of the API yet: no walk");
            assertFalse(weaver.lookDue(), "nothing armed the walk yet");
            // A retransformation (the look at the loaded classes) is walked all the same, and arms nothing.
            Class<?> loaded = Class.forName("jakarta.servlet.http.HttpServlet", false, loader);
            assertNotNull(weaver.rowsFor(loader, "jakarta/servlet/http/HttpServlet", loaded, httpServlet),
                    "a retransformation is walked before the walk is armed");
            assertFalse(weaver.lookDue(), "a retransformation arms nothing");
            // The API's first class armed it: it is walked (and woven), so is every class after it,
            // and the classes defined before are to be looked at again.
            assertNotNull(weaver.rowsFor(loader, "jakarta/servlet/http/HttpServlet", null, httpServlet));
            assertTrue(weaver.lookDue(), "the classes loaded before the API are looked at again");
            assertNotNull(weaver.rowsFor(loader, "com/example/LaterServlet", null, httpServlet), "walked once armed");
        }
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
