package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.config.Options;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the probes in. What is instrumented is data, in two tables: the units of work
 * ({@link UnitsOfWork}), which this class hands to Byte Buddy's {@code AgentBuilder}, and the
 * blocking calls ({@link BlockingProbes}), fixed JDK methods that {@link LeanWeaver} weaves with ASM
 * alone. Matching is by name (the servlet rows by the name of a supertype), so nothing of a library
 * that is not on the class path is ever touched or needed.
 */
final class Instrumenter {

    /** What Byte Buddy is given for one row of a table: which types, in which class loaders, get which advice. */
    record Target(ElementMatcher<? super TypeDescription> types, ElementMatcher<? super ClassLoader> loaders,
                  AsmVisitorWrapper advice) {

        /**
         * A row of a JDK class gets its advice now; any other row when its first class is woven
         * ({@link LazyAdvice}): most of the table names libraries a given service does not have.
         */
        static Target of(UnitsOfWork.Unit unit, boolean workersMayPredateInstall) {
            AsmVisitorWrapper advice = JdkPackages.contains(unit.typeName())
                    ? unit.advice(workersMayPredateInstall)
                    : new LazyAdvice(() -> unit.advice(workersMayPredateInstall));
            return new Target(unit.types(), unit.loaders(), advice);
        }
    }

    /**
     * A row's advice, built the first time Byte Buddy weaves a class of the row. Building one costs
     * about 1-5 ms of Byte Buddy's parsing (the whole table, some 130 ms of every launch's install);
     * a row of a library the application does not have never pays it. Only rows of classes outside
     * the JDK are built this way: building runs on the thread that loads the class, and a JDK class
     * that building itself might load would then be let through unwoven (the JVM calls no
     * transformer for a class loaded while a transformer runs on the same thread), which no library
     * class is.
     * Two threads that weave the row's first classes at once may both build it: the results are
     * equal (a site's number is registered once by name), so the race needs no lock, and so no lock
     * is taken while a class loads.
     */
    static final class LazyAdvice implements AsmVisitorWrapper {
        private final Supplier<? extends AsmVisitorWrapper> build;
        private volatile AsmVisitorWrapper built;

        LazyAdvice(Supplier<? extends AsmVisitorWrapper> build) {
            this.build = build;
        }

        /** Whether the advice was built yet. */
        boolean isBuilt() {
            return built != null;
        }

        private AsmVisitorWrapper advice() {
            AsmVisitorWrapper advice = built;
            if (advice == null) {
                advice = build.get();
                built = advice;
            }
            return advice;
        }

        @Override
        public int mergeWriter(int flags) {
            return advice().mergeWriter(flags);
        }

        @Override
        public int mergeReader(int flags) {
            return advice().mergeReader(flags);
        }

        @Override
        public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                                 Implementation.Context implementationContext, TypePool typePool,
                                 FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                                 int writerFlags, int readerFlags) {
            return advice().wrap(instrumentedType, classVisitor, implementationContext, typePool, fields, methods,
                    writerFlags, readerFlags);
        }
    }

    /** The packages of the JDK's own modules (the boot layer's, which holds no library of a class-path application). */
    static final class JdkPackages {
        private static final Set<String> PACKAGES = jdkPackages();

        private JdkPackages() {
        }

        /** Whether the class with this binary name is in a package of a module of the boot layer. */
        static boolean contains(String className) {
            int dot = className.lastIndexOf('.');
            return dot > 0 && PACKAGES.contains(className.substring(0, dot));
        }

        private static Set<String> jdkPackages() {
            Set<String> packages = new HashSet<>();
            for (Module module : ModuleLayer.boot().modules()) {
                packages.addAll(module.getPackages());
            }
            return packages;
        }
    }

    private Instrumenter() {
    }

    /**
     * Builds Byte Buddy's transformer for the unit rows, hands it to the gate and weaves the classes
     * already loaded.
     *
     * @return the names of the types woven so far by either weaver (more are added as classes load)
     */
    static Set<String> install(Instrumentation inst, EarlyInstrumentation prepared, Consumer<String> say,
                               boolean workersMayPredateInstall) {
        List<Target> targets = targets(prepared.units(), workersMayPredateInstall);
        InstallListener listener = new InstallListener(say, prepared.woven());
        // Without this, Byte Buddy's Nexus touches sun.misc.Unsafe, which JDK 24+ warns about. In the
        // agent jar, shading renames the key to io.jvmwatchdog.shaded.net.bytebuddy.nexus.disabled, the
        // name the shaded Byte Buddy reads: an application's own Byte Buddy never sees it (IsolationIT).
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // A class loaded while the install retransforms (on the install thread itself, where
                // Byte Buddy lets a nested load through unwoven) is missed by one look at the loaded
                // classes: look again until a look finds nothing new. Seen on Java 25, where
                // SocketChannelImpl loaded so stayed unwoven.
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                // The default ignore matcher skips every bootstrap class; the JDK executors are ones.
                .ignore(nameStartsWith("io.jvmwatchdog.agent.").or(nameStartsWith("io.jvmwatchdog.core."))
                        .or(nameStartsWith("io.jvmwatchdog.boot.")).or(nameStartsWith("io.jvmwatchdog.shaded.")))
                // Advice woven into java.base calls the boot runtime, in the boot loader's unnamed module.
                .assureReadEdgeTo(inst, Probes.class)
                .with(new TypeCachePerLoader())
                // Class files are found through a weak reference to their loader: the type
                // descriptions a loader's cache keeps hold the locator, and with a strong one the
                // cache (a value of a map weakly keyed by that same loader) would keep every
                // undeployed web application's loader alive for good.
                .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
                .with(listener)
                // The gate, registered before Byte Buddy, weaves with Byte Buddy's transformer (behind
                // the load filter); what Byte Buddy registers itself does nothing.
                .with(transformer -> {
                    prepared.gate().weaveWith(prepared.filter().inFrontOf(transformer));
                    return idle(transformer);
                });
        for (Target target : targets) {
            builder = builder.type(target.types(), target.loaders())
                    .transform((b, type, loader, module, domain) -> b.visit(target.advice()));
        }
        builder.installOn(inst);
        // Only now, with the loaded classes woven: a held load let go earlier would be among them.
        prepared.gate().open();
        return prepared.woven();
    }

    /**
     * What Byte Buddy registers when {@link LoadGate} weaves with its transformer: a transformer that
     * does nothing, so that no class is woven twice, and that resets as Byte Buddy's own would.
     */
    private static ResettableClassFileTransformer idle(ResettableClassFileTransformer transformer) {
        return new ResettableClassFileTransformer.WithDelegation(transformer) {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain domain, byte[] classFile) {
                return null;
            }

            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain domain, byte[] classFile) {
                return null;
            }
        };
    }

    /**
     * The units as Byte Buddy rows, in the order they are woven. The JDK rows' advice is built here,
     * before {@code installOn}; the others' when first needed ({@link Target#of}).
     */
    static List<Target> targets(List<UnitsOfWork.Unit> units, boolean workersMayPredateInstall) {
        List<Target> targets = new ArrayList<>();
        for (UnitsOfWork.Unit unit : units) {
            targets.add(Target.of(unit, workersMayPredateInstall));
        }
        return targets;
    }

    /**
     * Byte Buddy is silent about what it skipped: say it, once per class, and keep going. Also keeps
     * what was transformed, for the install check ({@link ProbeCheck}).
     */
    private static final class InstallListener extends AgentBuilder.Listener.Adapter {
        private final Consumer<String> say;
        private final Set<String> reported = ConcurrentHashMap.newKeySet();
        private final Set<String> transformed;

        InstallListener(Consumer<String> say, Set<String> transformed) {
            this.say = say;
            this.transformed = transformed;
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            transformed.add(typeDescription.getName());
            AgentLogging.logger().debug("JVM Watchdog: instrumented {}", typeDescription.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            if (reported.add(typeName)) {
                say.accept("JVM Watchdog: could not instrument " + typeName + " (it stays unwatched): " + throwable);
            }
        }
    }

    /**
     * Type descriptions kept per class loader between class loads. The servlet rows walk each new
     * class's hierarchy; without a cache every walk would parse the same supertypes' class files
     * again. Loaders are held weakly and descriptions softly, so neither outlives its need; the
     * descriptions reach their loader only weakly too (LocationStrategy.ForClassLoader.WEAK above),
     * else the value would keep its own key alive (RedeployIT).
     */
    private static final class TypeCachePerLoader extends AgentBuilder.PoolStrategy.WithTypePoolCache {
        private final Map<ClassLoader, TypePool.CacheProvider> caches = Collections.synchronizedMap(new WeakHashMap<>());

        TypeCachePerLoader() {
            super(TypePool.Default.ReaderMode.FAST);
        }

        @Override
        protected TypePool.CacheProvider locate(ClassLoader loader) {
            return caches.computeIfAbsent(loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
        }
    }
}
