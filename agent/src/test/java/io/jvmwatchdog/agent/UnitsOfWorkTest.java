package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.agent.UnitsOfWork.Hook;
import io.jvmwatchdog.agent.UnitsOfWork.Match;
import io.jvmwatchdog.agent.UnitsOfWork.Unit;
import io.jvmwatchdog.core.config.ConfigSources;
import io.jvmwatchdog.core.config.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit table against the classes it names: every row's type exists, with a declared method for
 * each of its hooks, on the running JDK (rows of a later JDK excepted, by their own {@code sinceJdk}),
 * in this build's API, or in one of the library lines the build copies (Jetty 9.4, 11 and 12, Tomcat,
 * Undertow, Netty 4.1 and 4.2, both servlet APIs, Kotlin coroutines 1.6 and 1.11, JBoss Threads 2 and 3,
 * Quartz 2.3 and 2.5, Spring 6.2 and 7, gRPC's shaded Netty, Reactor 3.8, Helidon 4.2 and 4.5). A row
 * that matches nothing anywhere would weave
 * nothing and never say so; this is where it shows.
 */
class UnitsOfWorkTest {

    /**
     * Rows that cannot be checked here, by {@link Unit#toString()}, with the reason. Every other row
     * must be found; a row listed here that is found fails too, so the list cannot go stale.
     */
    private static final Map<String, String> NOT_CHECKABLE = Map.of();

    private static final int JDK = Runtime.version().feature();

    private static ClassSource jdk;
    private static List<ClassSource> sources;
    private static List<ClassSource> libraryLines;

    @BeforeAll
    static void openSources() throws Exception {
        jdk = ClassSource.runningJdk();
        libraryLines = ClassSource.libraryLines();
        Path api = Path.of(io.jvmwatchdog.api.Watchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        sources = new ArrayList<>(List.of(jdk, ClassSource.of("watchdog-api", List.of(api))));
        sources.addAll(libraryLines);
    }

    @AfterAll
    static void closeSources() throws Exception {
        for (ClassSource s : sources) {
            s.close();
        }
    }

    @Test
    void everyRow_namesATypeAndMethodsThatExist_onThisJdkInTheApiOrInALibraryLine() {
        List<String> missing = new ArrayList<>();
        for (Unit unit : UnitsOfWork.TABLE) {
            Map<String, String> where = whereFound(unit, sources);
            boolean found = where.containsValue(FOUND);
            if (unit.sinceJdk() > JDK) {
                // Not expected here; and if it is here, its sinceJdk is wrong.
                assertFalse(found, () -> unit + " says it starts at Java " + unit.sinceJdk() + " but is on Java " + JDK);
            } else if (NOT_CHECKABLE.containsKey(unit.toString())) {
                assertFalse(found, () -> unit + " is listed as not checkable (" + NOT_CHECKABLE.get(unit.toString())
                        + ") but is found: " + where);
            } else if (!found) {
                missing.add(unit + " " + where);
            }
        }
        assertEquals(List.of(), missing, "rows that match nothing on Java " + JDK + " nor in any library line");
    }

    @Test
    void everyNotCheckableException_namesExactlyOneRow() {
        for (String row : NOT_CHECKABLE.keySet()) {
            assertEquals(1, UnitsOfWork.TABLE.stream().filter(u -> u.toString().equals(row)).count(), row);
        }
    }

    @Test
    void everyLibraryLineTheBuildCopies_holdsARow() {
        Set<String> used = new TreeSet<>();
        for (Unit unit : UnitsOfWork.TABLE) {
            whereFound(unit, libraryLines).forEach((line, verdict) -> {
                if (verdict.equals(FOUND)) {
                    used.add(line);
                }
            });
            // A row of a later JDK, in a line's classes for that JDK only (a multi-release jar): the
            // run on that JDK finds it.
            if (unit.sinceJdk() > JDK) {
                libraryLines.stream().filter(l -> l.holdsOnlyForLaterJdks(unit.typeName())).forEach(l -> used.add(l.name()));
            }
        }
        assertFalse(libraryLines.isEmpty(), "the build copied no library line");
        for (ClassSource line : libraryLines) {
            assertTrue(used.contains(line.name()), () -> line + " holds no row: a wrong copy? used: " + used);
        }
    }

    /** Positive control: the same check reports rows that are wrong in each way a row can be. */
    @Test
    void aWrongRow_isReportedMissing_byTheSameCheck() {
        Unit right = row("java.util.concurrent.ThreadPoolExecutor", hook("runWorker"),
                hook("getTask"));
        assertTrue(whereFound(right, sources).containsValue(FOUND), () -> "control: " + whereFound(right, sources));

        List<Unit> wrong = List.of(
                row("java.util.concurrent.ThreadPoolExecutorr", hook("runWorker")),
                row("java.util.concurrent.ThreadPoolExecutor", hook("runWorkerr")),
                // One hook of several missing is enough: its advice would be lost.
                row("java.util.concurrent.ThreadPoolExecutor", hook("runWorker"),
                        hook("getTaskk")),
                // A library method by the right name, but not with these arguments.
                row("org.eclipse.jetty.server.Server", hook(HookMethods.named("handle").withArgument(0, "org.eclipse.jetty.server.NoSuchRequest"))),
                row("com.example.NoSuchServlet", Match.SUBTYPES, hook("service")),
                // A Netty 4.1 epoll event by a name the unsafe does not declare.
                row("io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe",
                        hook("epollInReadyy")));
        for (Unit unit : wrong) {
            Map<String, String> where = whereFound(unit, sources);
            assertFalse(where.containsValue(FOUND), () -> unit + " should be missing: " + where);
        }
    }

    /**
     * The Netty rows match Netty relocated by a library that shades it (gRPC's grpc-netty-shaded),
     * methods included: each one found in the Netty 4.2 line the shaded one copies is found there
     * too, under its relocated name only (that jar has no {@code io.netty} class). And a name that
     * merely ends like a Netty class, without a package boundary, is not one.
     */
    @Test
    void nettyRows_matchARelocatedNetty_theShadedGrpcOne() {
        ClassSource netty = line("netty-4.2");
        ClassSource shaded = line("grpc-netty-shaded-");
        assertTrue(shaded.typeNames().stream().noneMatch(n -> n.startsWith("io.netty.")), "a relocated copy only");
        List<String> checked = new ArrayList<>();
        for (Unit unit : UnitsOfWork.TABLE) {
            if (unit.match() == Match.BY_NAME_OR_RELOCATED && FOUND.equals(whereFound(unit, List.of(netty)).get(netty.name()))) {
                assertEquals(FOUND, whereFound(unit, List.of(shaded)).get(shaded.name()), unit::toString);
                checked.add(unit.typeName());
            }
        }
        assertEquals(List.of("io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe",
                "io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe",
                "io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe",
                "io.netty.channel.epoll.AbstractEpollServerChannel$EpollServerSocketUnsafe",
                "io.netty.channel.epoll.EpollDomainSocketChannel$EpollDomainUnsafe",
                "io.netty.channel.epoll.EpollDatagramChannel$EpollDatagramChannelUnsafe",
                "io.netty.channel.epoll.EpollDomainDatagramChannel$EpollDomainDatagramChannelUnsafe",
                "io.netty.util.concurrent.AbstractEventExecutor"), checked);
    }

    /**
     * Netty 4.1's epoll events are found in the 4.1 line itself, each hook of each row: the general
     * check is content with a row found in any line, and these classes and their rows' first hooks
     * are in 4.2 too. A wrong name is not found there (control).
     */
    @Test
    void nettyEpollRows_nameEachOfNetty41sChannelEvents_inThe41Line() {
        ClassSource netty41 = line("netty-4.1");
        List<String> checked = new ArrayList<>();
        for (Unit unit : UnitsOfWork.TABLE) {
            for (Hook hook : unit.hooks()) {
                if (unit.typeName().startsWith("io.netty.channel.epoll.")
                        && hook.methodNames().stream().allMatch(m -> m.startsWith("epoll") && m.endsWith("Ready"))) {
                    TypeDescription type = netty41.describe(unit.typeName()).orElseThrow(() -> new AssertionError(unit));
                    assertEquals(new TreeSet<>(hook.methodNames()), new TreeSet<>(declaredMatching(type, hook)), unit::toString);
                    checked.add(unit.typeName().substring("io.netty.channel.epoll.".length()) + "#"
                            + String.join(",", hook.methodNames()));
                }
            }
        }
        assertEquals(List.of("AbstractEpollChannel$AbstractEpollUnsafe#epollOutReady,epollRdHupReady",
                "AbstractEpollStreamChannel$EpollStreamUnsafe#epollInReady",
                "AbstractEpollServerChannel$EpollServerSocketUnsafe#epollInReady",
                "EpollDomainSocketChannel$EpollDomainUnsafe#epollInReady",
                "EpollDatagramChannel$EpollDatagramChannelUnsafe#epollInReady",
                "EpollDomainDatagramChannel$EpollDomainDatagramChannelUnsafe#epollInReady"), checked);
        // The 4.1 unsafe base declares epollInReady abstract only: no row may weave it there.
        TypeDescription base = netty41.describe("io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe").orElseThrow();
        assertTrue(base.getDeclaredMethods().filter(named("epollInReady")).getOnly().isAbstract(), "control: abstract in 4.1");
        assertEquals(List.of(), declaredMatching(base, hook("epollInReadyy")), "control: a wrong name");
    }

    private static ClassSource line(String prefix) {
        return libraryLines.stream().filter(l -> l.name().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no library line " + prefix + "* in " + libraryLines));
    }

    @Test
    void rowsAdoptedAtAttach_areTheJdkExecutorsAndRmisConnectionLoop_andNameMethodsTheyWeave() {
        List<String> adopted = new ArrayList<>();
        for (Unit unit : UnitsOfWork.TABLE) {
            if (unit.adoptable() != null) {
                adopted.add(unit.typeName());
                List<String> woven = unit.hooks().stream().flatMap(h -> h.methodNames().stream()).toList();
                assertTrue(unit.adoptable().unitMethod() == null || woven.contains(unit.adoptable().unitMethod()),
                        unit::toString);
                if (unit.adoptable().waitMethod() != null) {
                    assertTrue(woven.contains(unit.adoptable().waitMethod()), unit::toString);
                }
            }
        }
        assertEquals(List.of("java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinTask",
                "java.util.concurrent.CompletableFuture$AsyncRun", "java.util.concurrent.CompletableFuture$AsyncSupply",
                "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner",
                "java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture", "sun.rmi.transport.tcp.TCPTransport"),
                adopted);
    }

    @Test
    void rowsOfJava21Classes_sayJava21() {
        for (Unit unit : UnitsOfWork.TABLE) {
            boolean java21 = unit.typeName().equals("java.lang.VirtualThread")
                    || unit.typeName().startsWith("java.util.concurrent.ThreadPerTaskExecutor$")
                    // In reactor-core's classes for Java 21+ only (a multi-release jar).
                    || unit.typeName().equals("reactor.core.scheduler.BoundedElasticThreadPerTaskScheduler$SchedulerTask");
            assertEquals(java21 ? 21 : UnitsOfWork.EVERY_JDK, unit.sinceJdk(), unit::toString);
        }
    }

    @Test
    void onlyAPoolsBeforeExecute_waitsForALateInstall() {
        for (Unit unit : UnitsOfWork.TABLE) {
            for (Hook hook : unit.hooks()) {
                boolean pool = unit.typeName().equals(UnitsOfWork.JDK_POOL) || unit.typeName().equals(UnitsOfWork.TOMCAT_POOL);
                assertEquals(pool && hook.methodNames().equals(List.of("beforeExecute")), hook.lateOnly(), unit::toString);
            }
        }
    }

    @Test
    void namedByOptions_entriesThenReady_eachMatchingWhatItNames() throws Exception {
        Options options = ConfigSources.fromArgument(
                "entry=java.util.concurrent.FutureTask#run;java.util.concurrent.AbstractExecutorService#*,"
                        + "ready=java.util.concurrent.ThreadPoolExecutor#prestartAllCoreThreads");
        List<Unit> rows = UnitsOfWork.namedByOptions(options);
        assertEquals(List.of("java.util.concurrent.FutureTask#run", "java.util.concurrent.AbstractExecutorService#*",
                "java.util.concurrent.ThreadPoolExecutor#prestartAllCoreThreads"), rows.stream().map(Unit::toString).toList());

        TypeDescription futureTask = jdk.describe("java.util.concurrent.FutureTask").orElseThrow();
        assertEquals(List.of("run"), declaredMatching(futureTask, rows.get(0).hooks().get(0)));

        // Every concrete method: not the abstract ones it declares, nor bridges.
        TypeDescription executor = jdk.describe("java.util.concurrent.AbstractExecutorService").orElseThrow();
        List<String> all = declaredMatching(executor, rows.get(1).hooks().get(0));
        assertTrue(all.containsAll(List.of("submit", "invokeAll", "invokeAny", "newTaskFor")), all::toString);
        assertFalse(all.contains("<init>"), all::toString);
        for (MethodDescription m : executor.getDeclaredMethods()) {
            if (m.isAbstract()) {
                assertFalse(RowMatchers.methods(rows.get(1).hooks().get(0)).matches(m), m::toString);
            }
        }
        assertEquals(List.of("prestartAllCoreThreads"),
                declaredMatching(jdk.describe("java.util.concurrent.ThreadPoolExecutor").orElseThrow(), rows.get(2).hooks().get(0)));
        assertEquals(List.of(), UnitsOfWork.namedByOptions(Options.defaults()));
    }

    private static final String FOUND = "found";

    /**
     * For each source: {@value #FOUND} when it has the row's type (for a supertype row, a class the
     * row's type matcher takes) with a declared method for every hook; else what is missing there.
     */
    static Map<String, String> whereFound(Unit unit, List<ClassSource> in) {
        Map<String, String> where = new LinkedHashMap<>();
        for (ClassSource source : in) {
            where.put(source.name(), verdict(unit, source));
        }
        return where;
    }

    @SuppressWarnings("unchecked")
    private static String verdict(Unit unit, ClassSource source) {
        ElementMatcher<TypeDescription> types = RowMatchers.types(unit);
        List<TypeDescription> candidates = new ArrayList<>();
        if (unit.match() == Match.BY_NAME) {
            source.describe(unit.typeName()).filter(types::matches).ifPresent(candidates::add);
        } else if (unit.match() == Match.BY_NAME_OR_RELOCATED) {
            source.describe(unit.typeName()).filter(types::matches).ifPresent(candidates::add);
            for (String name : source.typeNames()) {
                if (name.endsWith("." + unit.typeName())) {
                    source.describe(name).filter(types::matches).ifPresent(candidates::add);
                }
            }
        } else {
            for (String name : source.typeNames()) {
                source.describe(name).filter(types::matches).ifPresent(candidates::add);
            }
        }
        if (candidates.isEmpty()) {
            return "no such type";
        }
        String lacking = null;
        for (TypeDescription type : candidates) {
            lacking = null;
            for (Hook hook : unit.hooks()) {
                if (declaredMatching(type, hook).isEmpty()) {
                    lacking = "no method for " + (hook.methodNames().isEmpty() ? "*" : String.join(",", hook.methodNames()))
                            + " in " + type.getName();
                    break;
                }
            }
            if (lacking == null) {
                return FOUND;
            }
        }
        return lacking;
    }

    private static List<String> declaredMatching(TypeDescription type, Hook hook) {
        return type.getDeclaredMethods().filter(RowMatchers.methods(hook)).stream().map(MethodDescription::getName).distinct().toList();
    }

    private static Unit row(String typeName, Hook... hooks) {
        return row(typeName, Match.BY_NAME, hooks);
    }

    private static Unit row(String typeName, Match match, Hook... hooks) {
        return new Unit(typeName, match, UnitsOfWork.EVERY_JDK, null, List.of(hooks));
    }

    private static Hook hook(String name) {
        return hook(HookMethods.named(name));
    }

    private static Hook hook(HookMethods methods) {
        return new Hook(methods, LeanAdvice.TASK, false);
    }
}
