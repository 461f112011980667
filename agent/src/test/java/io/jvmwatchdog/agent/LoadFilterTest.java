package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/**
 * The filter in front of Byte Buddy must never refuse a class a row would weave: checked against
 * every class of every library line the build copies, by the rows' own matchers.
 */
class LoadFilterTest {

    private static final List<UnitsOfWork.Unit> UNITS = EarlyInstrumentation.units(Options.defaults(), Set.of());
    private static final LoadFilter FILTER = LoadFilter.of(UNITS);

    @Test
    void everyClassARowWeaves_passes_andMostOthersDoNot() throws Exception {
        int woven = 0;
        int refused = 0;
        List<String> missed = new ArrayList<>();
        boolean servletSeen = false;
        for (ClassSource line : ClassSource.libraryLines()) {
            try (line; URLClassLoader loader = loaderOf(line)) {
                for (String typeName : line.typeNames()) {
                    Optional<TypeDescription> type = line.describe(typeName);
                    if (type.isEmpty()) {
                        continue;
                    }
                    boolean passes = FILTER.wants(loader, typeName.replace('.', '/'), line.classFile(typeName));
                    if (weaves(type.get())) {
                        woven++;
                        servletSeen |= typeName.equals("jakarta.servlet.http.HttpServlet");
                        if (!passes) {
                            missed.add(line.name() + ": " + typeName);
                        }
                    } else if (!passes) {
                        refused++;
                    }
                }
            }
        }
        assertEquals(List.of(), missed);
        assertTrue(woven > 30, "positive control: rows weave classes of the lines, " + woven);
        assertTrue(servletSeen, "positive control: a class woven by the servlet hierarchy row was checked");
        assertTrue(refused > 10_000, "the filter refuses what no row weaves: " + refused);
    }

    @Test
    void aServletRowsMarker_needsALoaderThatSeesTheApi() {
        byte[] declaresService = ("xx(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)Vxx")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(FILTER.wants(null, "com/example/MyServlet", declaresService), "the boot loader has no servlet API");
        assertFalse(FILTER.wants(getClass().getClassLoader(), "com/example/Other", "nothing".getBytes(StandardCharsets.UTF_8)));
        assertFalse(FILTER.wants(getClass().getClassLoader(), null, declaresService), "hidden classes are never woven");
        assertTrue(FILTER.wants(null, "java/util/concurrent/ThreadPoolExecutor", new byte[0]));
        assertTrue(FILTER.wants(null, "io/grpc/netty/shaded/io/netty/channel/nio/NioEventLoop", new byte[0]), "relocated Netty");
    }

    /** Whether a row's matchers choose {@code type} and one of its declared methods, as Byte Buddy would. */
    private static boolean weaves(TypeDescription type) {
        for (UnitsOfWork.Unit unit : UNITS) {
            if (unit.types().matches(type)) {
                for (UnitsOfWork.Hook hook : unit.hooks()) {
                    if (!type.getDeclaredMethods().filter(hook.methods()).isEmpty()) {
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
