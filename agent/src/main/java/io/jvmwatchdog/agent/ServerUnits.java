package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jvmwatchdog.agent.Instrumenter.Target;
import io.jvmwatchdog.agent.advice.BudgetedAdvice;
import io.jvmwatchdog.agent.advice.JavaxServletAdvice;
import io.jvmwatchdog.agent.advice.JettyRequestAdvice;
import io.jvmwatchdog.agent.advice.JobStartAdvice;
import io.jvmwatchdog.agent.advice.NettyChannelAdvice;
import io.jvmwatchdog.agent.advice.NettyChannelArgAdvice;
import io.jvmwatchdog.agent.advice.NettyTaskAdvice;
import io.jvmwatchdog.agent.advice.PoolWaitAdvice;
import io.jvmwatchdog.agent.advice.RequestArgument;
import io.jvmwatchdog.agent.advice.ServletAdvice;
import io.jvmwatchdog.agent.advice.SiteIdMapping;
import io.jvmwatchdog.agent.advice.TaskAdvice;
import io.jvmwatchdog.agent.advice.TomcatRequestAdvice;
import io.jvmwatchdog.agent.advice.UndertowRequestAdvice;
import io.jvmwatchdog.agent.advice.UnitName;
import io.jvmwatchdog.agent.advice.WorkerLoopAdvice;
import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Sites;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The units of work of executors and servers, as a table. Two shapes cover them all:
 * <ul>
 *   <li>a <b>pool worker</b> is working from the moment it takes a job until it goes back for the
 *   next one, and idle while it waits: a task unit, judged by the default rule (the JDK's
 *   {@code ThreadPoolExecutor}, Tomcat's copy of it, Jetty's {@code QueuedThreadPool} jobs);</li>
 *   <li>a <b>request</b> or an <b>event-loop unit</b> (one channel event, one event-loop task) is
 *   budgeted: any one state past the timeout is stuck, as Tomcat's and WebLogic's stuck-thread
 *   detectors define it, and an event loop must never block at all.</li>
 * </ul>
 * Everything else a server runs (acceptors, selectors, pollers, workers waiting for work, keep-alive
 * connections waiting in the selector) is outside any unit, so it is never reported.
 *
 * <p>Rows match by name: a server that is not on the class path costs one string comparison per
 * loaded class, and the agent needs none of their classes. A row whose class or method does not
 * exist in the running version matches nothing.
 */
final class ServerUnits {

    private ServerUnits() {
    }

    static final String JDK_POOL = "java.util.concurrent.ThreadPoolExecutor";
    static final String TOMCAT_POOL = "org.apache.tomcat.util.threads.ThreadPoolExecutor";

    /**
     * @param workersMayPredateInstall whether pool workers may already be waiting for work in old
     *     code when the advice is woven (attach, or a background install)
     */
    static List<Target> targets(boolean workersMayPredateInstall) {
        Advice.WithCustomMapping named = Advice.withCustomMapping().bind(SiteIdMapping.ENTRY);
        List<Target> targets = new ArrayList<>();
        targets.add(pool(JDK_POOL, workersMayPredateInstall));
        targets.add(pool(TOMCAT_POOL, workersMayPredateInstall));
        // Jetty 9.4-12: every job of its pool (requests, and also the acceptor and selector loops, which
        // wait in accept/select: idle, interruptible waits).
        targets.add(Target.named("org.eclipse.jetty.util.thread.QueuedThreadPool",
                named.to(TaskAdvice.class).on(named("runJob"))));

        // Requests.
        targets.add(Target.named("org.eclipse.jetty.server.Server", budgeted(named, JettyRequestAdvice.class,
                named("handle").and(takesArgument(0, named("org.eclipse.jetty.server.Request"))))));
        targets.add(Target.named("org.eclipse.jetty.server.Server", named.to(BudgetedAdvice.class).on(
                namedOneOf("handle", "handleAsync").and(takesArgument(0, named("org.eclipse.jetty.server.HttpChannel"))))));
        targets.add(Target.named("org.apache.catalina.connector.CoyoteAdapter", budgeted(named, TomcatRequestAdvice.class,
                namedOneOf("service", "asyncDispatch").and(takesArgument(0, named("org.apache.coyote.Request"))))));
        targets.add(Target.named("io.undertow.server.Connectors", budgeted(named, UndertowRequestAdvice.class,
                named("executeRootHandler").and(takesArguments(2)))));
        for (String api : List.of("jakarta.servlet", "javax.servlet")) {
            Class<?> advice = api.startsWith("jakarta") ? ServletAdvice.class : JavaxServletAdvice.class;
            targets.add(servlets(api, budgeted(requestAt(0), advice, servletService(api))));
            // Jetty 9.4-11 (javax up to 10, jakarta in 11): the server is the outermost handler
            // wrapper, so its first handle(target, baseRequest, request, response) names the request.
            targets.add(Target.named("org.eclipse.jetty.server.handler.HandlerWrapper", budgeted(requestAt(2), advice,
                    named("handle").and(takesArguments(4)).and(takesArgument(2, named(api + ".http.HttpServletRequest"))))));
        }

        // Netty event loops: one channel's I/O event (4.2 NIO and epoll; 4.1 NIO), one task.
        ElementMatcher<MethodDescription> ioEvent = named("handle").and(takesArguments(2))
                .and(takesArgument(0, named("io.netty.channel.IoRegistration")));
        targets.add(Target.named("io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe",
                budgeted(named, NettyChannelAdvice.class, ioEvent)));
        targets.add(Target.named("io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe",
                budgeted(named, NettyChannelAdvice.class, ioEvent)));
        targets.add(Target.named("io.netty.channel.nio.NioEventLoop", budgeted(named, NettyChannelArgAdvice.class,
                named("processSelectedKey").and(takesArguments(2))
                        .and(takesArgument(1, named("io.netty.channel.nio.AbstractNioChannel"))))));
        targets.add(Target.named("io.netty.util.concurrent.AbstractEventExecutor", budgeted(named, NettyTaskAdvice.class,
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
        return Target.named(pool, advice);
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
