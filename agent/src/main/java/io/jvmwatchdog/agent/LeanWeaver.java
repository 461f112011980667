package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.UnitProbes;
import io.jvmwatchdog.core.base.AgentDebug;
import io.jvmwatchdog.core.base.AgentLogging;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.slf4j.Logger;

/**
 * The agent's one weaver: the blocking-call probes ({@link BlockingProbes}) and the units of work
 * ({@link UnitsOfWork}, whose advice is data: {@link LeanAdvice}), written into the classes with
 * ASM alone (the relocated copy Byte Buddy carries; none of Byte Buddy's own code runs). A row is a
 * fixed method whose advice is a few calls into the boot runtime, so a woven class costs a parse
 * and a write; Byte Buddy, which wove the unit rows before, cost about a second of CPU at every
 * start and 10-30 ms per class it wove early, the start of the application on a 2-core machine.
 *
 * <p>What a method with a blocking probe becomes:
 * <pre>{@code
 * ThreadState s = Probes.blockBegin(SITE);      // or lockWaitBegin(SITE, interruptible, timed)
 * try { <the method's own code, each return preceded by Probes.blockEnd(s)> }
 * catch (Throwable t) { Probes.blockEnd(s); throw t; }
 * }</pre>
 * and with a unit's advice, the same shape with the calls {@link LeanAdvice} names ({@link UnitProbes}).
 * The state lives in a new local after the method's own, so every stack map frame of the method
 * gets that local (its own frames say nothing of it); the catch-all comes last in the exception
 * table, so the method's own handlers still catch first. The probes throw nothing into the
 * method: each catches whatever a thread's first probe (which allocates its state) may throw. A
 * class that cannot be woven is left as it is, with one line saying so.
 *
 * <p>Which classes: a row's by name (one hash lookup per class load), or relocated under a prefix
 * (one {@code endsWith} per relocatable row), or, for the servlet rows, by hierarchy: a class
 * outside the boot loader that declares a method with the woven method's descriptor, and whose
 * supertypes, read from class files ({@link Supertypes}), reach {@code Servlet} (looked for once
 * a class of the servlet API has loaded: see {@link #bySupertype}).
 *
 * <p>One more method, not a blocking call: the end of a virtual thread's run ({@code
 * VirtualThread.run(Runnable)}, Java 21+), where {@code Probes.virtualThreadEnds()} lets the thread's
 * state drop the thread, before each return and in a catch-all that rethrows.
 */
final class LeanWeaver implements ClassFileTransformer {

    /** The class and method where a virtual thread's run ends. */
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    private static final String THREAD_RUN = "run";
    private static final String THREAD_RUN_DESCRIPTOR = "(Ljava/lang/Runnable;)V";

    /**
     * What the weaver does to one class.
     *
     * @param probes its blocking calls
     * @param hooks its unit rows' hooks, in the table's order (the first that names a method weaves it)
     * @param threadEnd whether it is {@code java.lang.VirtualThread}, whose run's end is marked
     */
    record Rows(List<BlockingProbes.Probe> probes, List<UnitsOfWork.Hook> hooks, boolean threadEnd) {
        Rows {
            probes = List.copyOf(probes);
            hooks = List.copyOf(hooks);
        }

        static Rows merge(Rows a, Rows b) {
            List<BlockingProbes.Probe> p = new ArrayList<>(a.probes);
            p.addAll(b.probes);
            List<UnitsOfWork.Hook> h = new ArrayList<>(a.hooks);
            h.addAll(b.hooks);
            return new Rows(p, h, a.threadEnd || b.threadEnd);
        }
    }

    private final Instrumentation inst;
    private final Map<String, Rows> byClass = new HashMap<>();
    /** The binary names of {@link #byClass}'s classes: the look at loaded boot classes asks it as it is. */
    private final Set<String> rowBinaryNames = new HashSet<>();
    /**
     * Rows that also weave their class relocated under a prefix (a shaded copy of Netty), by "/"
     * and the class's internal name: one {@code endsWith} each per class load that no name matched.
     * Arrays, so that a lookup loads no class while the JVM loads one (a collection's iterator
     * class, loaded inside the transformer, would be a circular load).
     */
    private final String[] suffixes;
    private final Rows[] suffixRows;
    /** Rows matched by a supertype (every servlet): see {@link #bySupertype}. */
    private final Hierarchy[] hierarchies;
    /** Each hierarchy row's marker, in the same order: looked for in one walk of a loading class's pool and methods. */
    private final byte[][] markers;
    /** Each hierarchy row's API package, as an internal-name prefix ({@code jakarta/servlet/}): a class under one arms the walk. */
    private final String[] hierarchyPackages;
    /**
     * Whether loading classes are walked for the hierarchy rows' markers. Where the weaver is in
     * place before {@code main} (the default launch), only once a class of a hierarchy row's API
     * loads (the servlet API: a JVM without it walks nothing), or the install begins ({@link
     * #armHierarchies}); a service without servlets (Quarkus, Netty, Micronaut, a batch job) paid
     * the walk on each of its thousands of class loads for nothing: about 2 % of a Quarkus start
     * (13 ms of 0.7 s, measured). From the start where the application ran before the weaver
     * (attach, {@code install=background}, {@code after-start}): its API is loaded already, and no
     * later load would arm it. Retransformations are always walked.
     */
    private volatile boolean hierarchiesArmed;
    /**
     * How many looks at the loaded classes are still due ({@link #weaveLoadedIfDue}, one a tick of
     * the install thread) since a loading class armed the walk: classes loading then were not
     * walked (a servlet whose load brought in the API: its own load came first, and it is defined
     * only after its supertypes, tens of milliseconds later through a nested jar), so a few ticks
     * look, not just the next. Racy on purpose: a look more or less is no matter, the install's
     * end looks anyway.
     */
    private volatile int looksDue;
    /** Looks after the walk is armed: the ticks cover 0.2-0.3 s after it. */
    private static final int LOOKS_AFTER_ARMING = 3;
    /**
     * The internal names of the last classes that loaded unwalked, outside the boot loader, before
     * the walk was armed: the only ones those looks consider. A look at every loaded class retransformed
     * each servlet walked since (its class does not say it declares nothing the row weaves) and cost
     * the install thread milliseconds of a Spring Boot start a tick. A ring, written without a lock:
     * a name lost to a race waits for the install's look. Emptied by the last look.
     */
    private final String[] unwalked = new String[UNWALKED_KEPT];
    private int unwalkedNext;
    /** More than the classes that load, on every thread, between a servlet's load and its API's first class. */
    private static final int UNWALKED_KEPT = 128;

    /**
     * A row that weaves every class that extends or implements a type and declares the method it
     * weaves.
     *
     * @param marker the method's descriptor, which one of such a class's methods has
     */
    private record Hierarchy(Supertypes supertypes, byte[] marker, Rows rows) {
    }

    private final Consumer<String> say;
    private final Set<String> woven;
    /**
     * Classes the JVM passed to the weaver (loads and retransformations): how busy the application's
     * start still is ({@link SettledStart}). A volatile write, racy on purpose: a lost count is no matter.
     */
    private volatile int classLoads;
    /**
     * With debug logging, each class woven before logging exists (a launch sets it up with the
     * watchdog, once the start settles), in order, to be said then: {@link #takeWovenUnsaid}. Null
     * without debug. Guarded by itself.
     */
    private final List<String> wovenUnsaid = AgentDebug.requested() ? new ArrayList<>() : null;
    private boolean wovenSaid; // guarded by wovenUnsaid
    /** Bounds what waits to be said: a start that loads a class a row names over and over (redeploys). */
    private static final int MAX_UNSAID = 10_000;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<Module> reading = ConcurrentHashMap.newKeySet();
    /** Per class loader, weakly (an undeployed application's can go): see {@link #handledIn}. */
    private final Map<ClassLoader, Set<String>> handled = Collections.synchronizedMap(new WeakHashMap<>());
    /** Per class loader, weakly: see {@link #seesRuntime}. */
    private final Map<ClassLoader, Boolean> seesRuntime = Collections.synchronizedMap(new WeakHashMap<>());

    /** Weaves nothing until {@link #install}ed: as built, it answers which classes it would weave. */
    LeanWeaver(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
               List<UnitsOfWork.Unit> units, boolean workersMayPredateInstall, Consumer<String> say, Set<String> woven) {
        this.inst = inst;
        this.say = say;
        this.woven = woven;
        this.hierarchiesArmed = workersMayPredateInstall;
        for (BlockingProbes.Probe probe : probes) {
            addRows(byClass, probe.typeName().replace('.', '/'), new Rows(List.of(probe), List.of(), false));
        }
        if (virtualThreadEnds) {
            addRows(byClass, VIRTUAL_THREAD, new Rows(List.of(), List.of(), true));
        }
        Map<String, Rows> bySuffix = new LinkedHashMap<>();
        List<Hierarchy> byHierarchy = new ArrayList<>();
        for (UnitsOfWork.Unit unit : units) {
            String internal = unit.typeName().replace('.', '/');
            Rows rows = new Rows(List.of(), unit.woven(workersMayPredateInstall), false);
            if (unit.match() == UnitsOfWork.Match.SUBTYPES) {
                byHierarchy.add(new Hierarchy(new Supertypes(unit.typeName()),
                        unit.declaredMethodDescriptor().getBytes(StandardCharsets.UTF_8), rows));
                continue;
            }
            addRows(byClass, internal, rows);
            if (unit.match() == UnitsOfWork.Match.BY_NAME_OR_RELOCATED) {
                addRows(bySuffix, "/" + internal, rows);
            }
        }
        // What a transform's first run would otherwise load while a class loads: the per-loader maps.
        handledIn(null);
        seesRuntime(LeanWeaver.class.getClassLoader());
        for (String internal : byClass.keySet()) {
            rowBinaryNames.add(internal.replace('/', '.'));
        }
        suffixes = bySuffix.keySet().toArray(new String[0]);
        suffixRows = bySuffix.values().toArray(new Rows[0]);
        hierarchies = byHierarchy.toArray(new Hierarchy[0]);
        markers = new byte[hierarchies.length][];
        hierarchyPackages = new String[hierarchies.length];
        for (int i = 0; i < hierarchies.length; i++) {
            markers[i] = hierarchies[i].marker();
            String type = hierarchies[i].supertypes().typeName();
            hierarchyPackages[i] = type.substring(0, type.lastIndexOf('.') + 1).replace('.', '/');
        }
    }

    /** Adds a class's rows to those it has (a loop, not {@code Map.merge} with a method reference: it runs before main). */
    private static void addRows(Map<String, Rows> rowsByKey, String key, Rows rows) {
        Rows had = rowsByKey.get(key);
        rowsByKey.put(key, had == null ? rows : Rows.merge(had, rows));
    }

    /**
     * Weaves {@code probes} and the unit rows into their classes from now on, and into those already
     * loaded.
     *
     * @param virtualThreadEnds whether to weave the end of a virtual thread's run too
     * @param units the unit rows
     * @param workersMayPredateInstall whether pool workers may already be waiting for work in old
     *     code (attach, a background install): late-only hooks are woven only then
     * @param say where the line about a class that could not be woven goes
     * @param woven where the binary name of each class woven is added (the install check reads it)
     */
    static LeanWeaver install(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
                              List<UnitsOfWork.Unit> units, boolean workersMayPredateInstall,
                              Consumer<String> say, Set<String> woven) {
        LeanWeaver weaver = new LeanWeaver(inst, probes, virtualThreadEnds, units, workersMayPredateInstall, say, woven);
        inst.addTransformer(weaver, true);
        weaver.weaveLoaded();
        return weaver;
    }

    /**
     * What the weaver does to a class that loads (or, {@code loaded}, is retransformed), or null:
     * nothing, as for nearly every class (one hash lookup).
     */
    Rows rowsFor(ClassLoader loader, String internalName, Class<?> loaded, byte[] classFile) {
        if (internalName == null) {
            return null; // a hidden class: no row names one
        }
        Rows rows = rowsOf(internalName);
        return rows != null ? rows : bySupertype(loader, internalName, loaded, classFile);
    }

    /**
     * From now on every loading class is walked for the hierarchy rows (the install begins: what
     * waiting saves matters at a start only, and the install's end looks at the loaded classes).
     */
    void armHierarchies() {
        hierarchiesArmed = true;
        java.util.Arrays.fill(unwalked, null); // the install's own look covers them: no name is kept for nothing
    }

    /** Whether the class with this internal name belongs to a hierarchy row's API: it arms the walk, and looks are due. */
    private boolean armsHierarchies(String internalName) {
        for (String prefix : hierarchyPackages) {
            if (internalName.startsWith(prefix)) {
                hierarchiesArmed = true;
                looksDue = LOOKS_AFTER_ARMING;
                return true;
            }
        }
        return false;
    }

    /** Whether a look at the loaded classes is due (see {@link #looksDue}). */
    boolean lookDue() {
        return looksDue > 0;
    }

    /**
     * Weaves the loaded classes a row means that are not woven, if a class that armed the walk
     * made looks due ({@link #looksDue}): called by the install thread while it waits for the start
     * to settle, about every 0.1 s.
     */
    void weaveLoadedIfDue() {
        int due = looksDue;
        if (due > 0) {
            looksDue = due - 1;
            Set<String> names = new HashSet<>();
            for (int i = 0; i < unwalked.length; i++) {
                String name = unwalked[i];
                if (name != null) {
                    names.add(name.replace('/', '.'));
                    if (due == 1) {
                        unwalked[i] = null; // the last look: the names go
                    }
                }
            }
            weaveLoaded(names);
        }
    }

    /** Keeps the name of a class that loaded before the walk was armed, for the looks arming makes due. */
    private void keepUnwalked(String internalName) {
        unwalked[unwalkedNext++ & (UNWALKED_KEPT - 1)] = internalName;
    }

    /**
     * Whether a loaded class is a subtype that a hierarchy row weaves (its method is checked as it is
     * woven): its supertypes' names, from the loaded classes, with no question to its loader (a
     * resource lookup would open the JDK's module image before {@code main}, and through Spring
     * Boot's loader take 70 ms).
     */
    private boolean extendsAHierarchyRowsType(Class<?> type) {
        if (hierarchies.length == 0 || type.getClassLoader() == null || type.isInterface()) {
            return false; // the boot loader: no servlet API there
        }
        for (Hierarchy h : hierarchies) {
            if (h.supertypes().reachFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /** The rows of the class with this internal name, or null. */
    private Rows rowsOf(String internalName) {
        Rows rows = byClass.get(internalName);
        if (rows != null) {
            return rows;
        }
        for (int i = 0; i < suffixes.length; i++) {
            if (internalName.endsWith(suffixes[i])) {
                return suffixRows[i];
            }
        }
        return null;
    }

    /**
     * Weaves the classes of the rows that are loaded but not woven: at install, those loaded before;
     * later ({@code Installation}, once the install ends, and {@link #weaveLoadedIfDue} while it
     * waits), any that loaded where no transformer runs, or before the servlet walk was armed.
     * The JVM calls no transformer for a class loaded while a transformer runs on the same thread, so
     * such a class would otherwise stay unwoven for good: the weaving's own first run loads classes
     * (a lock, a map's inner class), among them a row's ({@code AbstractQueuedSynchronizer}, once,
     * and then every lock wait went unseen). So each call looks again after it wove, until a look
     * finds nothing new, a few rounds at most; a class that failed is not tried again in the call.
     */
    void weaveLoaded() {
        weaveLoaded(null);
    }

    /** @param only the binary names of the classes to consider, or null for all */
    private void weaveLoaded(Set<String> only) {
        // By class, not by name: two web applications may each have their own copy of a library.
        Set<Class<?>> tried = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> type : inst.getAllLoadedClasses()) {
                if ((only == null || only.contains(type.getName())) && namedOrExtendedByARow(type)
                        && !handledIn(type.getClassLoader()).contains(type.getName()) && tried.add(type)) {
                    loaded.add(type);
                }
            }
            if (loaded.isEmpty()) {
                return;
            }
            retransform(loaded);
        }
    }

    /**
     * Whether a row weaves this loaded class. A boot-loader class (nearly all of those loaded
     * before {@code main}) only by its exact name, looked up as it is: no relocated copy nor servlet
     * lives there, and the name's conversion and the relocation tests, interpreted at that point,
     * made most of the look's 3 ms.
     */
    private boolean namedOrExtendedByARow(Class<?> type) {
        if (type.getClassLoader() == null) {
            return rowBinaryNames.contains(type.getName());
        }
        return rowsOf(type.getName().replace('.', '/')) != null || extendsAHierarchyRowsType(type);
    }

    /** How many looks at the loaded classes one {@link #weaveLoaded} makes at most. */
    private static final int MAX_ROUNDS = 4;

    private void retransform(List<Class<?>> loaded) {
        try {
            // All at once: each retransformation is a stop of the world that throws away compiled code.
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            for (Class<?> type : loaded) { // one at a time: a class that fails leaves the others woven
                try {
                    inst.retransformClasses(type);
                } catch (Throwable e) {
                    cannotWeave(type.getName(), e);
                }
            }
        }
    }

    /**
     * The rows of a hierarchy row that weave this class: it declares a method with the row's
     * method's descriptor (one walk over the constant pool for every row, outside the boot loader,
     * then over the methods of the few whose pool holds it), and it extends or implements the type
     * ({@link Supertypes}, read only for the classes that pass the first test: three in a Spring
     * Boot application of 6,600 classes). Asking only that the pool hold the descriptor let a dozen
     * more through (filters, valves, views: classes that call a servlet), whose supertypes' class
     * files, read through Spring Boot's loader on the main thread, cost 8 ms of its start.
     *
     * <p>No question to the loader comes first. Whether a loader sees the servlet API is one
     * resource lookup per loader, but through an executable jar's loader the first one took 70 ms
     * and a miss 14 ms (Spring Boot's nested jars, on the main thread, while the application
     * starts), and the JDK's reflection makes a loader per generated accessor, 2 ms each: more than
     * the pool walks of all its classes (about 2 µs a class once compiled). A class that declares
     * the method and reaches the type through its supertypes' class files is seen by a loader that
     * sees the type anyway.
     *
     * <p>Nor, in a default launch, does the walk run before a class of the API loads ({@link
     * #hierarchiesArmed}): a JVM with no servlet pays a prefix test a class, and one with servlets
     * walks from the API's first class on (a fifth of a Spring Boot start, where Tomcat loads it
     * early). A servlet defined about then (its own load came first, then its supertypes') is found
     * by the looks that class makes due, in the next ticks of the install thread, or at the
     * install's end.
     */
    private Rows bySupertype(ClassLoader loader, String internalName, Class<?> loaded, byte[] classFile) {
        if (hierarchies.length == 0) {
            return null;
        }
        if (!hierarchiesArmed && loaded == null && !armsHierarchies(internalName)) {
            if (loader != null) {
                keepUnwalked(internalName);
            }
            return null; // no class of the API loaded yet: no walk
        }
        if (loader == null) {
            return null; // the boot loader: no servlet API there
        }
        int held = ClassHeader.methodDescriptorsDeclared(classFile, markers);
        for (int i = 0; held != 0 && i < hierarchies.length; i++) {
            Hierarchy h = hierarchies[i];
            if ((held & (1 << i)) != 0
                    && (loaded != null ? h.supertypes().reachFrom(loaded) : h.supertypes().reachFrom(loader, classFile))) {
                return h.rows();
            }
        }
        return null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) {
        String name = null; // made only for a class a row names: nearly every load passes at one lookup
        classLoads++;
        try {
            Rows rows = rowsFor(loader, className, classBeingRedefined, classFile);
            if (rows == null) {
                if (classBeingRedefined != null) {
                    handledIn(loader).add(classBeingRedefined.getName()); // looked at: not retransformed again
                }
                return null;
            }
            if (!seesRuntime(loader)) {
                return null;
            }
            name = className.replace('/', '.');
            readsBootRuntime(module);
            byte[] result = weave(classFile, rows);
            woven.add(name);
            handledIn(loader).add(name);
            sayWoven(name);
            return result;
        } catch (Throwable t) {
            cannotWeave(className == null ? "a hidden class" : className.replace('/', '.'), t);
            return null;
        }
    }

    /** The debug line of a class woven: kept until logging exists (see {@link #wovenUnsaid}). */
    private void sayWoven(String name) {
        if (wovenUnsaid == null) {
            return; // no debug, no line: and the logging is not loaded before main for nothing
        }
        if (AgentLogging.loggerIfCreated() == null) {
            synchronized (wovenUnsaid) {
                if (!wovenSaid) {
                    if (wovenUnsaid.size() < MAX_UNSAID) {
                        wovenUnsaid.add(name);
                    }
                    return;
                }
            }
        }
        Logger logger = AgentLogging.loggerIfCreated();
        if (logger != null && logger.isDebugEnabled()) {
            logger.debug("JVM Watchdog: instrumented {}", name);
        }
    }

    /**
     * The classes woven before logging existed, once each time one was woven (a class of each
     * redeployment), to be said now; from now on the weaver says them itself. Empty without debug.
     */
    List<String> takeWovenUnsaid() {
        if (wovenUnsaid == null) {
            return List.of();
        }
        synchronized (wovenUnsaid) {
            wovenSaid = true;
            List<String> taken = List.copyOf(wovenUnsaid);
            wovenUnsaid.clear();
            return taken;
        }
    }

    /** How many classes the JVM has passed to the weaver so far (about: counted without a lock). */
    int classLoads() {
        return classLoads;
    }

    /** The names of the classes of {@code loader} (null: the boot loader) the weaver wove or looked at. */
    private Set<String> handledIn(ClassLoader loader) {
        synchronized (handled) { // no lambda: this runs while a class loads, where spinning one would load more
            Set<String> names = handled.get(loader);
            if (names == null) {
                names = ConcurrentHashMap.newKeySet();
                handled.put(loader, names);
            }
            return names;
        }
    }

    /**
     * Whether the classes of {@code loader} reach the boot runtime the woven code calls. A loader that
     * does not delegate {@code io.jvmwatchdog.boot} to the boot loader (JBoss Modules without it in
     * {@code jboss.modules.system.pkgs}, an OSGi framework without boot delegation) would make
     * every woven method throw {@code NoClassDefFoundError}: its classes are left as they are, said
     * once. Asked once per loader, by loading the runtime's class through it (a name no loader is
     * loading then: no circular load).
     */
    private boolean seesRuntime(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        Boolean known = seesRuntime.get(loader);
        if (known == null) {
            boolean sees;
            try {
                sees = Class.forName(UnitProbes.class.getName(), false, loader) == UnitProbes.class;
            } catch (Throwable t) {
                sees = false;
            }
            known = sees;
            seesRuntime.put(loader, known);
            if (!sees) {
                say.accept("JVM Watchdog: the classes of " + loader + " cannot reach the agent's runtime"
                        + " (io.jvmwatchdog.boot, in the boot loader): they stay unwatched. Under JBoss Modules, add"
                        + " io.jvmwatchdog.boot to -Djboss.modules.system.pkgs; under OSGi, to the boot delegation");
            }
        }
        return known;
    }

    private void cannotWeave(String className, Throwable t) {
        if (reported.add(className)) {
            say.accept("JVM Watchdog: could not instrument " + className + " (it stays unwatched): " + t);
        }
    }

    /** The woven code calls the boot runtime, in the boot loader's unnamed module, which a named module does not read. */
    private void readsBootRuntime(Module module) {
        Module runtime = Probes.class.getModule();
        if (module != null && module.isNamed() && reading.add(module) && !module.canRead(runtime)) {
            inst.redefineModule(module, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** The class file with {@code rows}' probes in every method they name. */
    static byte[] weave(byte[] classFile, List<BlockingProbes.Probe> rows) {
        return weave(classFile, new Rows(rows, List.of(), false));
    }

    /** The class file with the probes, hooks and thread end of {@code rows} woven in. */
    static byte[] weave(byte[] classFile, Rows rows) {
        ClassReader reader = new ClassReader(classFile);
        Shape shape = Shape.of(reader, rows);
        ClassWriter writer = new ClassWriter(reader, 0); // the methods no row names are copied as they are
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                frames = (version & 0xFFFF) >= Opcodes.V1_6; // older class files have no stack map frames
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (rows.threadEnd() && name.equals(THREAD_RUN) && descriptor.equals(THREAD_RUN_DESCRIPTOR)) {
                    return new WovenMethods.ThreadEndMethod(method, owner);
                }
                BlockingProbes.Probe probe = probeFor(rows, access, name, descriptor);
                if (probe != null) {
                    int site = Sites.register(owner.replace('/', '.') + "." + name, probe.kind());
                    return new WovenMethods.ProbedMethod(method, access, descriptor, probe.shape(), site, shape.maxLocals(name, descriptor));
                }
                UnitsOfWork.Hook hook = hookFor(rows, access, name, descriptor);
                if (hook != null) {
                    return new WovenMethods.AdvisedMethod(method, access, descriptor, owner, name, hook.advice(),
                            shape.enclosingDescriptor(), shape.maxLocals(name, descriptor), frames);
                }
                return method;
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static BlockingProbes.Probe probeFor(Rows rows, int access, String name, String descriptor) {
        for (BlockingProbes.Probe probe : rows.probes()) {
            if (probe.methods().matches(access, name, descriptor)) {
                return probe;
            }
        }
        return null;
    }

    private static UnitsOfWork.Hook hookFor(Rows rows, int access, String name, String descriptor) {
        for (UnitsOfWork.Hook hook : rows.hooks()) {
            if (hook.which().matches(access, name, descriptor)) {
                return hook;
            }
        }
        return null;
    }

    /**
     * What the weaving needs to know of the class before it writes a method: how many locals each
     * method to weave has (a probe's state goes in the next one), and the type of the enclosing
     * instance's field, if it has one. Read from the class file's field and method tables directly,
     * not by a visit of the whole class: a woven class's weave is interpreted code at a start, and
     * a visit cost a tenth to a third of it.
     */
    private record Shape(Map<String, Integer> maxLocals, String enclosingDescriptor) {
        static Shape of(ClassReader reader, Rows rows) {
            Map<String, Integer> maxLocals = new HashMap<>();
            String enclosing = null;
            char[] chars = new char[reader.getMaxStringLength()];
            int at = reader.header + 6; // access flags, this_class, super_class
            at += 2 + 2 * reader.readUnsignedShort(at); // the interfaces
            int fields = reader.readUnsignedShort(at);
            at += 2;
            for (int f = 0; f < fields; f++) {
                if ((reader.readUnsignedShort(at) & Opcodes.ACC_STATIC) == 0
                        && reader.readUTF8(at + 2, chars).equals(WovenMethods.ENCLOSING)) {
                    enclosing = reader.readUTF8(at + 4, chars);
                }
                at = afterAttributes(reader, at + 6);
            }
            int methods = reader.readUnsignedShort(at);
            at += 2;
            for (int m = 0; m < methods; m++) {
                int access = reader.readUnsignedShort(at);
                String name = reader.readUTF8(at + 2, chars);
                String descriptor = reader.readUTF8(at + 4, chars);
                boolean woven = probeFor(rows, access, name, descriptor) != null || hookFor(rows, access, name, descriptor) != null;
                int attributes = reader.readUnsignedShort(at + 6);
                at += 8;
                for (int a = 0; a < attributes; a++) {
                    if (woven && reader.readUTF8(at, chars).equals("Code")) {
                        maxLocals.put(name + descriptor, reader.readUnsignedShort(at + 8)); // after max_stack
                    }
                    at += 6 + reader.readInt(at + 2);
                }
            }
            return new Shape(maxLocals, enclosing);
        }

        /** Where the attributes table at {@code at} (a field's or a method's) ends. */
        private static int afterAttributes(ClassReader reader, int at) {
            int attributes = reader.readUnsignedShort(at);
            at += 2;
            for (int a = 0; a < attributes; a++) {
                at += 6 + reader.readInt(at + 2);
            }
            return at;
        }

        int maxLocals(String name, String descriptor) {
            return maxLocals.get(name + descriptor);
        }
    }
}
