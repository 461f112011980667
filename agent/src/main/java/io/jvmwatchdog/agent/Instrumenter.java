package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jvmwatchdog.agent.advice.BudgetedAdvice;
import io.jvmwatchdog.agent.advice.PetAdvice;
import io.jvmwatchdog.agent.advice.PinnedParkAdvice;
import io.jvmwatchdog.agent.advice.ReadyAdvice;
import io.jvmwatchdog.agent.advice.SectionEnterAdvice;
import io.jvmwatchdog.agent.advice.SectionExitAdvice;
import io.jvmwatchdog.agent.advice.SiteIdMapping;
import io.jvmwatchdog.agent.advice.TaskAdvice;
import io.jvmwatchdog.agent.advice.VirtualThreadEndAdvice;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.config.MethodPattern;
import io.jvmwatchdog.core.config.Options;
import io.jvmwatchdog.core.report.Reporter;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the probes in with Byte Buddy. What is instrumented is the data in {@link #targets}: a type
 * name, a method matcher and an advice. Matching is by name only, so nothing of a library that is not
 * on the class path is ever touched or needed.
 */
final class Instrumenter {

    /** One row of the target table: which types, in which class loaders, get which advice. */
    record Target(ElementMatcher<? super TypeDescription> types, ElementMatcher<? super ClassLoader> loaders,
                  AsmVisitorWrapper.ForDeclaredMethods advice) {

        /** The usual row: one class, by name, wherever it is loaded. */
        static Target named(String typeName, AsmVisitorWrapper.ForDeclaredMethods advice) {
            return new Target(ElementMatchers.named(typeName), ElementMatchers.any(), advice);
        }
    }

    private Instrumenter() {
    }

    /** @return the names of the types transformed so far (more are added as classes load) */
    static Set<String> install(Instrumentation inst, Options options, Reporter reporter,
                               boolean workersMayPredateInstall) {
        List<Target> targets = targets(options, workersMayPredateInstall);
        InstallListener listener = new InstallListener(reporter);
        // Without this, Byte Buddy's Nexus touches sun.misc.Unsafe, which JDK 24+ warns about. In the
        // agent jar, shading renames the key to io.jvmwatchdog.shaded.net.bytebuddy.nexus.disabled, the
        // name the shaded Byte Buddy reads: an application's own Byte Buddy never sees it (IsolationIT).
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
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
                .with(listener);
        for (Target target : targets) {
            builder = builder.type(target.types(), target.loaders())
                    .transform((b, type, loader, module, domain) -> b.visit(target.advice()));
        }
        builder.installOn(inst);
        return listener.transformed;
    }

    /** Built before {@code installOn}: building advice while classes load can skip a class (ClassCircularityError). */
    static List<Target> targets(Options options, boolean workersMayPredateInstall) {
        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(SiteIdMapping.ENTRY);
        List<Target> targets = new ArrayList<>(ServerUnits.targets(workersMayPredateInstall));
        targets.addAll(List.of(
                // Every ForkJoinPool task, CompletableFuture.*Async and parallel streams included.
                Target.named("java.util.concurrent.ForkJoinTask",
                        mapping.to(TaskAdvice.class).on(named("doExec"))),
                // CompletableFuture.*Async runs these outside any pool when the common pool's
                // parallelism is 1 (two cores or fewer): one new thread per task, no doExec.
                Target.named("java.util.concurrent.CompletableFuture$AsyncRun",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                Target.named("java.util.concurrent.CompletableFuture$AsyncSupply",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                // Executors.newVirtualThreadPerTaskExecutor and newThreadPerTaskExecutor (Java 21+):
                // each task runs in a thread of its own, through one of these two.
                Target.named("java.util.concurrent.ThreadPerTaskExecutor$TaskRunner",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                Target.named("java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                // Virtual threads (Java 21+): the end of a thread's run, and a park that pins it.
                Target.named("java.lang.VirtualThread",
                        Advice.to(VirtualThreadEndAdvice.class).on(named("run").and(takesArguments(1)))
                                .method(named("parkOnCarrierThread"), Advice.to(PinnedParkAdvice.class))),
                Target.named("io.jvmwatchdog.api.Watchdog",
                        Advice.to(ReadyAdvice.class).on(named("ready"))
                                .method(named("section"), Advice.to(SectionEnterAdvice.class))
                                .method(named("pet"), Advice.to(PetAdvice.class))),
                Target.named("io.jvmwatchdog.api.Watchdog$Section",
                        Advice.to(SectionExitAdvice.class).on(named("close")))));
        for (MethodPattern p : options.entries()) {
            targets.add(Target.named(p.className(), mapping.to(BudgetedAdvice.class).on(methods(p))));
        }
        options.ready().ifPresent(p -> targets.add(Target.named(p.className(), Advice.to(ReadyAdvice.class).on(methods(p)))));
        for (BlockingProbes.Probe probe : BlockingProbes.TABLE) {
            targets.add(Target.named(probe.typeName(), probe.advice()));
        }
        return targets;
    }

    /** The methods a pattern names: one by name, or every concrete method the class declares. */
    private static ElementMatcher.Junction<MethodDescription> methods(MethodPattern p) {
        ElementMatcher.Junction<MethodDescription> concrete = isMethod().and(not(isAbstract()))
                .and(not(isNative())).and(not(isBridge())).and(not(isSynthetic()));
        return p.anyMethod() ? concrete : concrete.and(named(p.methodName()));
    }

    /**
     * Byte Buddy is silent about what it skipped: say it, once per class, and keep going. Also keeps
     * what was transformed, for the self-test.
     */
    private static final class InstallListener extends AgentBuilder.Listener.Adapter {
        private final Reporter reporter;
        private final Set<String> reported = ConcurrentHashMap.newKeySet();
        final Set<String> transformed = ConcurrentHashMap.newKeySet();

        InstallListener(Reporter reporter) {
            this.reporter = reporter;
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
                reporter.info("JVM Watchdog: could not instrument " + typeName + " (it stays unwatched): " + throwable);
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
