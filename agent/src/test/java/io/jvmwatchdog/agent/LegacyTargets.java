package io.jvmwatchdog.agent;

import io.jvmwatchdog.agent.advice.BudgetedAdvice;
import io.jvmwatchdog.agent.advice.JavaxServletAdvice;
import io.jvmwatchdog.agent.advice.JettyRequestAdvice;
import io.jvmwatchdog.agent.advice.JobStartAdvice;
import io.jvmwatchdog.agent.advice.NettyChannelAdvice;
import io.jvmwatchdog.agent.advice.NettyChannelArgAdvice;
import io.jvmwatchdog.agent.advice.NettyTaskAdvice;
import io.jvmwatchdog.agent.advice.PetAdvice;
import io.jvmwatchdog.agent.advice.PinnedParkAdvice;
import io.jvmwatchdog.agent.advice.PoolWaitAdvice;
import io.jvmwatchdog.agent.advice.ReadyAdvice;
import io.jvmwatchdog.agent.advice.RequestArgument;
import io.jvmwatchdog.agent.advice.SectionEnterAdvice;
import io.jvmwatchdog.agent.advice.SectionExitAdvice;
import io.jvmwatchdog.agent.advice.ServletAdvice;
import io.jvmwatchdog.agent.advice.SiteIdMapping;
import io.jvmwatchdog.agent.advice.TaskAdvice;
import io.jvmwatchdog.agent.advice.TomcatRequestAdvice;
import io.jvmwatchdog.agent.advice.UndertowRequestAdvice;
import io.jvmwatchdog.agent.advice.UnitName;
import io.jvmwatchdog.agent.advice.VirtualThreadEndAdvice;
import io.jvmwatchdog.agent.advice.WorkerLoopAdvice;
import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
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
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import io.jvmwatchdog.agent.Instrumenter.Target;

/** The target table as built before UnitsOfWork (copied from ServerUnits and Instrumenter), to compare. */
final class LegacyTargets {
    private static Target legacyNamed(String t, AsmVisitorWrapper.ForDeclaredMethods a) { return new Target(ElementMatchers.named(t), ElementMatchers.any(), a); }
    static List<Target> targets(Options options, boolean workersMayPredateInstall) {
        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(SiteIdMapping.ENTRY);
        List<Target> targets = new ArrayList<>(serverTargets(workersMayPredateInstall));
        targets.addAll(List.of(
                // Every ForkJoinPool task, CompletableFuture.*Async and parallel streams included.
                legacyNamed("java.util.concurrent.ForkJoinTask",
                        mapping.to(TaskAdvice.class).on(named("doExec"))),
                // CompletableFuture.*Async runs these outside any pool when the common pool's
                // parallelism is 1 (two cores or fewer): one new thread per task, no doExec.
                legacyNamed("java.util.concurrent.CompletableFuture$AsyncRun",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                legacyNamed("java.util.concurrent.CompletableFuture$AsyncSupply",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                // Executors.newVirtualThreadPerTaskExecutor and newThreadPerTaskExecutor (Java 21+):
                // each task runs in a thread of its own, through one of these two.
                legacyNamed("java.util.concurrent.ThreadPerTaskExecutor$TaskRunner",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                legacyNamed("java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture",
                        mapping.to(TaskAdvice.class).on(named("run"))),
                // Virtual threads (Java 21+): the end of a thread's run, and a park that pins it.
                legacyNamed("java.lang.VirtualThread",
                        Advice.to(VirtualThreadEndAdvice.class).on(named("run").and(takesArguments(1)))
                                .method(named("parkOnCarrierThread"), Advice.to(PinnedParkAdvice.class))),
                legacyNamed("io.jvmwatchdog.api.Watchdog",
                        Advice.to(ReadyAdvice.class).on(named("ready"))
                                .method(named("section"), Advice.to(SectionEnterAdvice.class))
                                .method(named("pet"), Advice.to(PetAdvice.class))),
                legacyNamed("io.jvmwatchdog.api.Watchdog$Section",
                        Advice.to(SectionExitAdvice.class).on(named("close")))));
        for (MethodPattern p : options.entries()) {
            targets.add(legacyNamed(p.className(), mapping.to(BudgetedAdvice.class).on(methods(p))));
        }
        options.ready().ifPresent(p -> targets.add(legacyNamed(p.className(), Advice.to(ReadyAdvice.class).on(methods(p)))));
        for (io.jvmwatchdog.agent.BlockingProbes.Probe probe : io.jvmwatchdog.agent.BlockingProbes.TABLE) {
            targets.add(legacyNamed(probe.typeName(), probe.advice()));
        }
        return targets;
    }

    /** The methods a pattern names: one by name, or every concrete method the class declares. */
    private static ElementMatcher.Junction<MethodDescription> methods(MethodPattern p) {
        ElementMatcher.Junction<MethodDescription> concrete = isMethod().and(not(isAbstract()))
                .and(not(isNative())).and(not(isBridge())).and(not(isSynthetic()));
        return p.anyMethod() ? concrete : concrete.and(named(p.methodName()));
    }

    static List<Target> serverTargets(boolean workersMayPredateInstall) {
        Advice.WithCustomMapping named = Advice.withCustomMapping().bind(SiteIdMapping.ENTRY);
        List<Target> targets = new ArrayList<>();
        targets.add(pool("java.util.concurrent.ThreadPoolExecutor", workersMayPredateInstall));
        targets.add(pool("org.apache.tomcat.util.threads.ThreadPoolExecutor", workersMayPredateInstall));
        // Jetty 9.4-12: every job of its pool (requests, and also the acceptor and selector loops, which
        // wait in accept/select: idle, interruptible waits).
        targets.add(legacyNamed("org.eclipse.jetty.util.thread.QueuedThreadPool",
                named.to(TaskAdvice.class).on(named("runJob"))));

        // Requests.
        targets.add(legacyNamed("org.eclipse.jetty.server.Server", budgeted(named, JettyRequestAdvice.class,
                named("handle").and(takesArgument(0, named("org.eclipse.jetty.server.Request"))))));
        targets.add(legacyNamed("org.eclipse.jetty.server.Server", named.to(BudgetedAdvice.class).on(
                namedOneOf("handle", "handleAsync").and(takesArgument(0, named("org.eclipse.jetty.server.HttpChannel"))))));
        targets.add(legacyNamed("org.apache.catalina.connector.CoyoteAdapter", budgeted(named, TomcatRequestAdvice.class,
                namedOneOf("service", "asyncDispatch").and(takesArgument(0, named("org.apache.coyote.Request"))))));
        targets.add(legacyNamed("io.undertow.server.Connectors", budgeted(named, UndertowRequestAdvice.class,
                named("executeRootHandler").and(takesArguments(2)))));
        for (String api : List.of("jakarta.servlet", "javax.servlet")) {
            Class<?> advice = api.startsWith("jakarta") ? ServletAdvice.class : JavaxServletAdvice.class;
            targets.add(servlets(api, budgeted(requestAt(0), advice, servletService(api))));
            // Jetty 9.4-11 (javax up to 10, jakarta in 11): the server is the outermost handler
            // wrapper, so its first handle(target, baseRequest, request, response) names the request.
            targets.add(legacyNamed("org.eclipse.jetty.server.handler.HandlerWrapper", budgeted(requestAt(2), advice,
                    named("handle").and(takesArguments(4)).and(takesArgument(2, named(api + ".http.HttpServletRequest"))))));
        }

        // Netty event loops: one channel's I/O event (4.2 NIO and epoll; 4.1 NIO), one task.
        ElementMatcher<MethodDescription> ioEvent = named("handle").and(takesArguments(2))
                .and(takesArgument(0, named("io.netty.channel.IoRegistration")));
        targets.add(legacyNamed("io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe",
                budgeted(named, NettyChannelAdvice.class, ioEvent)));
        targets.add(legacyNamed("io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe",
                budgeted(named, NettyChannelAdvice.class, ioEvent)));
        targets.add(legacyNamed("io.netty.channel.nio.NioEventLoop", budgeted(named, NettyChannelArgAdvice.class,
                named("processSelectedKey").and(takesArguments(2))
                        .and(takesArgument(1, named("io.netty.channel.nio.AbstractNioChannel"))))));
        targets.add(legacyNamed("io.netty.util.concurrent.AbstractEventExecutor", budgeted(named, NettyTaskAdvice.class,
                namedOneOf("safeExecute", "runTask").and(isStatic()).and(takesArguments(1))
                        .and(takesArgument(0, named("java.lang.Runnable"))))));
        return targets;
    }

    /**
     * A {@code ThreadPoolExecutor} or a copy of it: a job runs from each return of {@code getTask}
     * (or the worker's first job) until the worker calls {@code getTask} again; waiting for work is
     * idle. When workers may predate the install, {@code beforeExecute} begins a job too, for a
     * worker whose wait was under way (old code) when the advice was woven; before {@code main} no
     * worker exists yet, and every job is spared that third probe.
     */
    private static Target pool(String pool, boolean workersMayPredateInstall) {
        Advice.WithCustomMapping named = Advice.withCustomMapping().bind(UnitName.class,
                Sites.register(pool + ".runWorker", Blocking.NONE));
        AsmVisitorWrapper.ForDeclaredMethods advice = named.to(WorkerLoopAdvice.class).on(named("runWorker"))
                .method(named("getTask"), named.to(PoolWaitAdvice.class));
        if (workersMayPredateInstall) {
            advice = advice.method(named("beforeExecute"), named.to(JobStartAdvice.class));
        }
        return legacyNamed(pool, advice);
    }

    /** Entry names, with {@link RequestArgument} bound to the woven method's argument {@code index}. */
    private static Advice.WithCustomMapping requestAt(int index) {
        return Advice.withCustomMapping().bind(SiteIdMapping.ENTRY).bind(RequestArgument.class,
                new Advice.OffsetMapping.ForArgument.Unresolved(TypeDescription.Generic.OBJECT, true,
                        Assigner.Typing.DYNAMIC, index));
    }

    /** A budgeted unit whose enter advice names it; every one leaves through the same exit. */
    private static AsmVisitorWrapper.ForDeclaredMethods budgeted(Advice.WithCustomMapping named, Class<?> enter,
                                                                ElementMatcher<? super MethodDescription> methods) {
        return named.to(enter, BudgetedAdvice.class).on(methods);
    }

    /** {@code service(ServletRequest, ServletResponse)} as declared by a servlet class. */
    private static ElementMatcher<MethodDescription> servletService(String api) {
        return named("service").and(not(isAbstract())).and(takesArguments(2))
                .and(takesArgument(0, named(api + ".ServletRequest")))
                .and(takesArgument(1, named(api + ".ServletResponse")));
    }

    /**
     * Every servlet class, whatever its name: the one row matched by type hierarchy. Only class
     * loaders that can see the servlet API pay for the hierarchy walk; see {@link LoaderSees}.
     */
    private static Target servlets(String api, AsmVisitorWrapper.ForDeclaredMethods advice) {
        // Fail-safe: a class whose supertypes cannot all be resolved (an optional dependency absent,
        // as Netty's Log4J2Logger without Log4j) is no servlet, not an instrumentation error.
        return new Target(failSafe(not(isInterface()).and(hasSuperType(named(api + ".Servlet")))),
                new LoaderSees(api.replace('.', '/') + "/Servlet.class"), advice);
    }
}
