package io.jvmwatchdog.agent;


import io.jvmwatchdog.core.config.MethodPattern;
import io.jvmwatchdog.core.config.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * Where threads do units of work, as one table: the JDK's executors, virtual threads, the
 * application API, other pools and job runners, and the servers. {@link LeanWeaver} weaves it,
 * attach adoption reads it ({@link Adoption}), and {@code UnitsOfWorkTest} checks every row against
 * the classes it names. A new pool or server is a row here and nowhere else.
 *
 * <p>Two shapes cover the units:
 * <ul>
 *   <li>a <b>pool worker</b> is working from the moment it takes a job until it goes back for the
 *   next one, and idle while it waits; a <b>task</b> is one run of a job. Both are judged by the
 *   default rule (the JDK's executors, Tomcat's copy of {@code ThreadPoolExecutor}, Jetty's
 *   {@code QueuedThreadPool} jobs, Kotlin's coroutine scheduler, JBoss Threads, Quartz jobs);</li>
 *   <li>a <b>request</b> or an <b>event-loop unit</b> (one channel event, one event-loop task) is
 *   budgeted: any one state past the timeout is stuck, as Tomcat's and WebLogic's stuck-thread
 *   detectors define it, and an event loop must never block at all.</li>
 * </ul>
 * Everything else a server runs (acceptors, selectors, pollers, workers waiting for work, keep-alive
 * connections waiting in the selector) is outside any unit, so it is never reported.
 *
 * <p>Rows match by name: a library that is not on the class path costs one string comparison per
 * loaded class, and the agent needs none of its classes. A row whose class or method does not exist
 * in the running version matches nothing; {@link Unit#sinceJdk} says which JDK rows are expected to.
 */
final class UnitsOfWork {

    private UnitsOfWork() {
    }

    /** The oldest JDK the agent runs on: a row that applies wherever the agent does. */
    static final int EVERY_JDK = 17;

    /** How a row finds the classes it weaves. */
    enum Match {
        /** The one class named. */
        BY_NAME,
        /**
         * The class named, or the same class in a copy of its library relocated under a prefix of
         * its own (a shaded jar: gRPC's {@code io.grpc.netty.shaded.io.netty...}): its binary name,
         * or any name that ends with a dot and that name. One string comparison more per loaded
         * class, at its end, like {@link #BY_NAME}'s.
         */
        BY_NAME_OR_RELOCATED,
        /**
         * Every concrete class that extends or implements the type named and declares the method
         * woven; see {@code LeanWeaver#bySupertype}.
         */
        SUBTYPES
    }

    /**
     * One row: the methods a unit of work runs through in one type (or in its subtypes), and the
     * advice that marks each. Built as data, without advice: the advice is made by {@link #advice}
     * when the instrumentation is built, so reading the table (a test, attach adoption) costs nothing.
     *
     * @param typeName the class the row weaves, by binary name; for {@link Match#SUBTYPES}, the type
     *     the woven classes extend or implement
     * @param sinceJdk the first JDK feature version that has what the row names (a JDK class, or a
     *     library's class it ships for that Java and later only); {@link #EVERY_JDK} for all others.
     *     Only documentation and tests read it: on an older JDK the row is woven all the same and
     *     matches nothing.
     * @param adoptable how attach recognises a thread already inside this unit from its stack, or
     *     null: not adopted (see {@link Adoption})
     * @param hooks the methods and their advice, in the order they are woven
     */
    record Unit(String typeName, Match match, int sinceJdk, Adoptable adoptable, List<Hook> hooks) {

        Unit {
            hooks = List.copyOf(hooks);
            if (hooks.isEmpty() || hooks.get(0).lateOnly()) {
                throw new IllegalArgumentException(typeName + ": a row's first hook is always woven");
            }
        }

        /** The hooks woven: the late-only ones only when pool workers may predate the install. */
        List<Hook> woven(boolean workersMayPredateInstall) {
            if (workersMayPredateInstall) {
                return hooks;
            }
            List<Hook> woven = new ArrayList<>(hooks.size()); // a loop, not a stream: this runs before main
            for (Hook h : hooks) {
                if (!h.lateOnly()) {
                    woven.add(h);
                }
            }
            return woven;
        }

        /**
         * For a {@link Match#SUBTYPES} row, the descriptor of the method it weaves, which every class
         * it weaves declares (so has in its constant pool): the servlet rows, the only ones matched
         * by hierarchy, weave {@code service(ServletRequest, ServletResponse)} of their API.
         */
        String declaredMethodDescriptor() {
            if (match != Match.SUBTYPES || !typeName.endsWith(".Servlet")) {
                throw new IllegalStateException(this + ": only the servlet rows are matched by hierarchy");
            }
            String api = typeName.substring(0, typeName.length() - ".Servlet".length()).replace('.', '/');
            return "(L" + api + "/ServletRequest;L" + api + "/ServletResponse;)V";
        }

        /** {@code Type#method,method}, or {@code subtypes of Type#method}: a row's name in tests and messages. */
        @Override
        public String toString() {
            List<String> names = new ArrayList<>();
            hooks.forEach(h -> names.add(h.methodNames().isEmpty() ? "*" : String.join(",", h.methodNames())));
            return (match == Match.SUBTYPES ? "subtypes of " : "") + typeName + "#" + String.join(",", names);
        }
    }

    /**
     * The methods of a row that one advice marks.
     *
     * @param which the methods, as data: their names, and what narrows them (arguments, static)
     * @param advice what {@link LeanWeaver} writes into them
     * @param lateOnly woven only when pool workers may predate the install
     */
    record Hook(HookMethods which, LeanAdvice advice, boolean lateOnly) {

        /** The names the hook means; empty for every method ({@code entry=Class#*}). */
        List<String> methodNames() {
            return which.names();
        }

        boolean entersBudgetedUnit() {
            return advice.entersBudgetedUnit();
        }

        /** Whether the hook weaves a method of this name (every method, for {@code entry=Class#*}). */
        boolean weaves(String methodName) {
            return methodNames().isEmpty() || methodNames().contains(methodName);
        }
    }

    /**
     * How attach finds a thread already inside a unit: a frame of the row's type in {@code
     * unitMethod}, with no frame of any row's {@code waitMethod} (a pool worker's wait for work) above it.
     *
     * @param unitMethod null for a row that is no unit but a wait for work ({@link #waitsForWorkIn})
     * @param waitMethod null for a task, which never waits for work inside its unit
     */
    record Adoptable(String unitMethod, String waitMethod) {
        /**
         * A loop in which a pool's worker waits for work of its own, so that a pool job below it on
         * the stack has ended (RMI's loop over one connection's calls).
         */
        static Adoptable waitsForWorkIn(String loop) {
            return new Adoptable(null, loop);
        }

        /** A pool worker's job, which ends at its next wait for work rather than at the frame's end. */
        boolean poolJob() {
            return unitMethod != null && waitMethod != null;
        }
    }

    static final String JDK_POOL = "java.util.concurrent.ThreadPoolExecutor";
    static final String TOMCAT_POOL = "org.apache.tomcat.util.threads.ThreadPoolExecutor";
    /** What a {@code java.util.Timer} task's unit is called: the loop that runs it. */
    static final String TIMER_LOOP = "java.util.TimerThread.mainLoop";

    /** The rows that hold for every application. The order is the order of weaving. */
    static final List<Unit> TABLE = List.of(
            // The JDK's executors. Tomcat's copy of the pool is not adopted at attach; the JDK's is.
            pool(JDK_POOL, true),
            // Every ForkJoinPool task, CompletableFuture.*Async and parallel streams included.
            // The pool is named too, for the pool-starvation rule.
            new Unit("java.util.concurrent.ForkJoinTask", Match.BY_NAME, EVERY_JDK, new Adoptable("doExec", null),
                    List.of(hook(LeanAdvice.FORK_JOIN_TASK, "doExec"))),
            // CompletableFuture.*Async runs these outside any pool when the common pool's
            // parallelism is 1 (two cores or fewer): one new thread per task, no doExec.
            jdkTask("java.util.concurrent.CompletableFuture$AsyncRun", "run", EVERY_JDK),
            jdkTask("java.util.concurrent.CompletableFuture$AsyncSupply", "run", EVERY_JDK),
            // Any executor's submit (AbstractExecutorService.newTaskFor) hands its thread a FutureTask:
            // one run of it is a task wherever it runs, as on an executor that starts a thread per
            // task (Spring's SimpleAsyncTaskExecutor, the default of @Async without Spring Boot).
            // Inside a pool's job or another unit it nests, and that unit names it. Not adopted at
            // attach: adoption names the innermost unit on a stack, which would rename pool jobs.
            unit("java.util.concurrent.FutureTask", hook(LeanAdvice.TASK, methods("run").taking(0))),
            // Executors.newVirtualThreadPerTaskExecutor and newThreadPerTaskExecutor (Java 21+):
            // each task runs in a thread of its own, through one of these two.
            jdkTask("java.util.concurrent.ThreadPerTaskExecutor$TaskRunner", "run", 21),
            jdkTask("java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture", "run", 21),

            // The general worker-loop rule: a job taken from a JDK BlockingQueue by a thread outside
            // any other unit (a worker of a pool nobody listed). Known pools' jobs take its place.
            queue("java.util.concurrent.LinkedBlockingQueue"),
            queue("java.util.concurrent.ArrayBlockingQueue"),
            queue("java.util.concurrent.LinkedBlockingDeque", "takeFirst", "takeLast", "pollFirst", "pollLast"),
            queue("java.util.concurrent.SynchronousQueue"),
            queue("java.util.concurrent.LinkedTransferQueue"),
            queue("java.util.concurrent.PriorityBlockingQueue"),
            queue("java.util.concurrent.DelayQueue"),

            // java.util.Timer, the same rule for a loop that waits with Object.wait: one run of a
            // TimerTask, from its timer's thread taking it off the queue to its next look at the queue.
            unit("java.util.TaskQueue",
                    hook(LeanAdvice.TIMER_TASK_TAKEN.named(TIMER_LOOP), methods("removeMin", "rescheduleMin")),
                    hook(LeanAdvice.TIMER_QUEUE_LOOK, "isEmpty")),

            // Virtual threads (Java 21+): not units, but where one parks pinned to its carrier. Where
            // one ends is woven with the blocking calls (LeanWeaver), which make their states.
            new Unit("java.lang.VirtualThread", Match.BY_NAME, 21, null, List.of(
                    hook(LeanAdvice.PINNED_PARK, "parkOnCarrierThread"))),

            // The application API: readiness, watched sections, pet.
            unit("io.jvmwatchdog.api.Watchdog",
                    hook(LeanAdvice.READY, "ready"),
                    hook(LeanAdvice.SECTION_ENTER, "section"),
                    hook(LeanAdvice.PET, "pet")),
            unit("io.jvmwatchdog.api.Watchdog$Section", hook(LeanAdvice.SECTION_EXIT, "close")),

            // Other pools and job runners: one task (one job) is a unit judged like an executor task.
            // Kotlin coroutines 1.6-1.11: one task of the scheduler behind Dispatchers.Default and
            // Dispatchers.IO (and their limitedParallelism views), whether a worker runs it
            // (Worker.executeTask), a task helps with one in place (runSingleTask, 1.7-1.10, an
            // internal API for IntelliJ) or the scheduler drains its queues as it closes.
            unit("kotlinx.coroutines.scheduling.CoroutineScheduler", hook(LeanAdvice.TASK,
                    methods("runSafely").taking(1))),
            // JBoss Threads' EnhancedQueueExecutor (the worker pool of WildFly, Quarkus and XNIO):
            // 3.2+ wraps every task it runs in a Task; 2.3-3.1 run each through ThreadBody.doRunTask.
            // Both are inner classes of the pool: their enclosing instance names it, for the
            // pool-starvation rule.
            unit("org.jboss.threads.EnhancedQueueExecutor$Task", hook(LeanAdvice.ENCLOSED_POOL_TASK, methods("run").taking(0))),
            unit("org.jboss.threads.EnhancedQueueExecutor$ThreadBody", hook(LeanAdvice.ENCLOSED_POOL_TASK,
                    methods("doRunTask").taking(1))),
            // ... and its views (ViewExecutor.builder, 3.2+), whatever executor a view delegates to:
            // over an EnhancedQueueExecutor the view's task nests in the pool's.
            unit("org.jboss.threads.EnhancedViewExecutor$EnhancedViewExecutorRunnable",
                    hook(LeanAdvice.TASK, methods("run").taking(0))),
            // Quartz 2.x: one run of a job (and its re-runs), on SimpleThreadPool's workers or
            // whatever ThreadPool the scheduler is given.
            unit("org.quartz.core.JobRunShell", hook(LeanAdvice.TASK, methods("run").taking(0))),
            // Reactor 3.6+ (3.8 tested) on virtual threads, Java 21+ (the system property
            // reactor.schedulers.defaultBoundedElasticOnVirtualThreads): boundedElastic() runs each task
            // on a virtual thread of its own, in no pool and no FutureTask. Reactor's other schedulers
            // run on ScheduledThreadPoolExecutors: pool jobs.
            new Unit("reactor.core.scheduler.BoundedElasticThreadPerTaskScheduler$SchedulerTask", Match.BY_NAME, 21, null,
                    List.of(hook(LeanAdvice.TASK, methods("run").taking(0)))),
            // Spring (6.2 and 7 checked; the class is Spring 3's): one run of a @Scheduled method,
            // whichever TaskScheduler runs it. A ThreadPoolTaskScheduler's (and the single-thread
            // default's) runs nest in their pool's job; SimpleAsyncTaskScheduler (Spring Boot's with
            // virtual threads) runs each on a new thread of its own, in no pool and no FutureTask.
            unit("org.springframework.scheduling.support.ScheduledMethodRunnable",
                    hook(LeanAdvice.TASK, methods("run").taking(0))),

            // Java RMI, behind every remote JMX connection: a connection is served by one worker of
            // RMI's pool for as long as it lasts, waiting in a socket read for each next call, so the
            // pool's job ends where the connection's loop begins (an idle JMX client is no hang)
            // and each remote call is a task.
            new Unit("sun.rmi.transport.tcp.TCPTransport", Match.BY_NAME, EVERY_JDK, Adoptable.waitsForWorkIn("handleMessages"),
                    List.of(hook(LeanAdvice.CONNECTION_LOOP, methods("handleMessages").taking(2)))),
            unit("sun.rmi.transport.Transport", hook(LeanAdvice.TASK, methods("serviceCall").taking(1))),

            // Servers' pools.
            pool(TOMCAT_POOL, false),
            // Jetty 9.4-12: every job of its pool (requests, and also the acceptor and selector loops,
            // which wait in accept/select: idle, interruptible waits).
            unit("org.eclipse.jetty.util.thread.QueuedThreadPool", hook(LeanAdvice.TASK, "runJob")),

            // Requests. Jetty 12, then Jetty 9.4-11.
            unit("org.eclipse.jetty.server.Server", hook(LeanAdvice.request(Requests.JETTY),
                    methods("handle").withArgument(0, "org.eclipse.jetty.server.Request"))),
            unit("org.eclipse.jetty.server.Server", hook(LeanAdvice.BUDGETED,
                    methods("handle", "handleAsync").withArgument(0, "org.eclipse.jetty.server.HttpChannel"))),
            unit("org.apache.catalina.connector.CoyoteAdapter", hook(LeanAdvice.request(Requests.TOMCAT),
                    methods("service", "asyncDispatch").withArgument(0, "org.apache.coyote.Request"))),
            unit("io.undertow.server.Connectors", hook(LeanAdvice.request(Requests.UNDERTOW),
                    methods("executeRootHandler").taking(2))),
            // The JDK's HTTP server (com.sun.net.httpserver, jdk.httpserver): one exchange, on the
            // dispatcher thread (no executor set: idle, it waits in its selector) or on the executor's.
            // The exchange reads its request line inside the unit, so the first Filter.Chain.doFilter
            // (the user's filters, then the handler) names it.
            unit("sun.net.httpserver.ServerImpl$Exchange", hook(LeanAdvice.BUDGETED, methods("run").taking(0))),
            unit("com.sun.net.httpserver.Filter$Chain", hook(LeanAdvice.request(Requests.JDK_HTTP_SERVER),
                    methods("doFilter").taking(1).withArgument(0, "com.sun.net.httpserver.HttpExchange"))),
            // Helidon 4 SE: each connection runs on a virtual thread of its own, which reads a request
            // line and headers, routes the request, then waits for the next; one routing (HTTP/1.1) is
            // a request, named by the request line it is given, and the wait in between is idle.
            unit("io.helidon.webserver.http1.Http1Connection", hook(LeanAdvice.request(Requests.HELIDON),
                    methods("route").withArgument(0, "io.helidon.http.HttpPrologue"))),
            // Every servlet, whatever its name: matched by type hierarchy.
            servlets("jakarta.servlet"),
            // Jetty 9.4-11 (javax up to 10, jakarta in 11): the server is the outermost handler
            // wrapper, so its first handle(target, baseRequest, request, response) names the request.
            jettyHandlerWrapper("jakarta.servlet"),
            servlets("javax.servlet"),
            jettyHandlerWrapper("javax.servlet"),

            // Netty event loops: one channel's I/O event (4.2 NIO and epoll; 4.1 NIO and epoll), one
            // task. Also in shaded copies of Netty (gRPC's grpc-netty-shaded, io.grpc.netty.shaded.io.netty):
            // the advice reads the channel and the task as plain Objects, and the arguments that narrow
            // the methods are matched relocated too.
            netty("io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe", nettyIoEvent()),
            // 4.1's epoll loop (EpollEventLoop.processReady) calls, for each ready channel, its unsafe's
            // epollOutReady, epollInReady and epollRdHupReady: the first two are declared here, and
            // epollInReady by each unsafe below (abstract here). In 4.2, handle calls the same three:
            // they nest in its unit, which keeps its entry and channel (Probes.enterEventLoop).
            netty("io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe", nettyIoEvent(),
                    hook(LeanAdvice.EVENT_LOOP_ENCLOSING_CHANNEL, methods("epollOutReady", "epollRdHupReady").taking(0))),
            netty("io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe", nettyEpollInReady()),
            netty("io.netty.channel.epoll.AbstractEpollServerChannel$EpollServerSocketUnsafe", nettyEpollInReady()),
            netty("io.netty.channel.epoll.EpollDomainSocketChannel$EpollDomainUnsafe", nettyEpollInReady()),
            netty("io.netty.channel.epoll.EpollDatagramChannel$EpollDatagramChannelUnsafe", nettyEpollInReady()),
            netty("io.netty.channel.epoll.EpollDomainDatagramChannel$EpollDomainDatagramChannelUnsafe", nettyEpollInReady()),
            netty("io.netty.channel.nio.NioEventLoop", hook(LeanAdvice.EVENT_LOOP_CHANNEL_ARGUMENT,
                    methods("processSelectedKey").taking(2)
                            .withRelocatableArgument(1, "io.netty.channel.nio.AbstractNioChannel"))),
            netty("io.netty.util.concurrent.AbstractEventExecutor", hook(LeanAdvice.EVENT_LOOP_TASK,
                    methods("safeExecute", "runTask").staticOnly().taking(1).withArgument(0, "java.lang.Runnable"))));

    /**
     * The rows the options name ({@code entry=}, {@code ready=}), after {@link #TABLE}. They are rows
     * like the others (the same advice as the budgeted rows and the API's {@code ready()}), so they
     * are made here; they stay out of {@link #TABLE} because their classes are the application's,
     * which no build can check, and because they exist only for the options of one install.
     */
    static List<Unit> namedByOptions(Options options) {
        List<Unit> rows = new ArrayList<>();
        for (MethodPattern p : options.entries()) {
            rows.add(unit(p.className(), hook(LeanAdvice.BUDGETED, p)));
        }
        if (options.ready().isPresent()) { // no lambda: this runs before main
            MethodPattern ready = options.ready().get();
            rows.add(unit(ready.className(), hook(LeanAdvice.READY, ready)));
        }
        return rows;
    }

    /**
     * A {@code ThreadPoolExecutor} or a copy of it: a job runs from each return of {@code getTask}
     * (or the worker's first job) until the worker calls {@code getTask} again; waiting for work is
     * idle. When workers may predate the install, {@code beforeExecute} begins a job too, for a
     * worker whose wait was under way (old code) when the advice was woven; before {@code main} no
     * worker exists yet, and every job is spared that third probe.
     */
    private static Unit pool(String typeName, boolean adoptedAtAttach) {
        String runLoop = typeName + ".runWorker";
        return new Unit(typeName, Match.BY_NAME, EVERY_JDK, adoptedAtAttach ? new Adoptable("runWorker", "getTask") : null,
                List.of(hook(LeanAdvice.WORKER_LOOP.named(runLoop), "runWorker"),
                        hook(LeanAdvice.POOL_WAIT.named(runLoop), "getTask"),
                        new Hook(methods("beforeExecute"), LeanAdvice.JOB_START.named(runLoop), true)));
    }

    /**
     * A {@code BlockingQueue}: its waiting takes, {@code take} and {@code poll(timeout, unit)} (and a
     * deque's first/last forms), never the {@code poll()} that does not wait.
     */
    private static Unit queue(String typeName, String... dequeMethods) {
        List<String> takes = new ArrayList<>(List.of("take"));
        List<String> polls = new ArrayList<>(List.of("poll"));
        for (String m : dequeMethods) {
            (m.startsWith("take") ? takes : polls).add(m);
        }
        return unit(typeName, hook(LeanAdvice.QUEUE_TAKE, methods(takes).taking(0)),
                hook(LeanAdvice.QUEUE_TAKE, methods(polls).taking(2)));
    }


    /** A JDK executor's task, adopted at attach: one method, a task unit. */
    private static Unit jdkTask(String typeName, String method, int sinceJdk) {
        return new Unit(typeName, Match.BY_NAME, sinceJdk, new Adoptable(method, null),
                List.of(hook(LeanAdvice.TASK, method)));
    }

    private static Unit unit(String typeName, Hook... hooks) {
        return new Unit(typeName, Match.BY_NAME, EVERY_JDK, null, List.of(hooks));
    }

    /**
     * Every servlet class: {@code service(ServletRequest, ServletResponse)} as it declares it. Only
     * the classes that name that method's descriptor pay for the hierarchy walk; see {@code
     * LeanWeaver#bySupertype}.
     */
    private static Unit servlets(String api) {
        return new Unit(api + ".Servlet", Match.SUBTYPES, EVERY_JDK, null, List.of(hook(
                LeanAdvice.request(Requests.servlet(api, 0)),
                methods("service").concreteOnly().taking(2)
                        .withArgument(0, api + ".ServletRequest").withArgument(1, api + ".ServletResponse"))));
    }

    private static Unit jettyHandlerWrapper(String api) {
        return unit("org.eclipse.jetty.server.handler.HandlerWrapper", hook(LeanAdvice.request(Requests.servlet(api, 2)),
                methods("handle").taking(4).withArgument(2, api + ".http.HttpServletRequest")));
    }

    /**
     * How each server's request unit reads the request's HTTP method and path: the calls its advice
     * makes on the server's own request object (the path raw, as the client sent it where the
     * server keeps that, so that no decoded control character can reach a report line; never the
     * query, which may hold secrets).
     */
    static final class Requests {
        private Requests() {
        }

        private static final String STRING = "java/lang/String";

        /** Jetty 12: {@code Request.getMethod()}, {@code getHttpURI().getPath()}. */
        static final LeanAdvice.RequestName JETTY = new LeanAdvice.RequestName(0, "org/eclipse/jetty/server/Request", false,
                List.of(LeanAdvice.Invoke.onInterface("org/eclipse/jetty/server/Request", "getMethod", STRING)),
                List.of(LeanAdvice.Invoke.onInterface("org/eclipse/jetty/server/Request", "getHttpURI", "org/eclipse/jetty/http/HttpURI"),
                        LeanAdvice.Invoke.onInterface("org/eclipse/jetty/http/HttpURI", "getPath", STRING)));
        /** Tomcat's coyote request: {@code getMethod()}, {@code requestURI().toString()}. */
        static final LeanAdvice.RequestName TOMCAT = new LeanAdvice.RequestName(0, "org/apache/coyote/Request", false,
                List.of(LeanAdvice.Invoke.virtual("org/apache/coyote/Request", "getMethod", STRING)),
                List.of(LeanAdvice.Invoke.virtual("org/apache/coyote/Request", "requestURI", "org/apache/tomcat/util/buf/MessageBytes"),
                        LeanAdvice.Invoke.virtual("org/apache/tomcat/util/buf/MessageBytes", "toString", STRING)));
        /** Undertow's exchange, the second argument: {@code getRequestMethod().toString()}, {@code getRequestPath()}. */
        static final LeanAdvice.RequestName UNDERTOW = new LeanAdvice.RequestName(1, "io/undertow/server/HttpServerExchange", false,
                List.of(LeanAdvice.Invoke.virtual("io/undertow/server/HttpServerExchange", "getRequestMethod", "io/undertow/util/HttpString"),
                        LeanAdvice.Invoke.virtual("io/undertow/util/HttpString", "toString", STRING)),
                List.of(LeanAdvice.Invoke.virtual("io/undertow/server/HttpServerExchange", "getRequestPath", STRING)));
        /** The JDK's HTTP server: {@code getRequestMethod()}, {@code getRequestURI().getRawPath()}. */
        static final LeanAdvice.RequestName JDK_HTTP_SERVER = new LeanAdvice.RequestName(0, "com/sun/net/httpserver/HttpExchange", false,
                List.of(LeanAdvice.Invoke.virtual("com/sun/net/httpserver/HttpExchange", "getRequestMethod", STRING)),
                List.of(LeanAdvice.Invoke.virtual("com/sun/net/httpserver/HttpExchange", "getRequestURI", "java/net/URI"),
                        LeanAdvice.Invoke.virtual("java/net/URI", "getRawPath", STRING)));
        /** Helidon 4's prologue: {@code method().text()}, {@code uriPath().rawPathNoParams()}. */
        static final LeanAdvice.RequestName HELIDON = new LeanAdvice.RequestName(0, "io/helidon/http/HttpPrologue", false,
                List.of(LeanAdvice.Invoke.virtual("io/helidon/http/HttpPrologue", "method", "io/helidon/http/Method"),
                        LeanAdvice.Invoke.virtual("io/helidon/http/Method", "text", STRING)),
                List.of(LeanAdvice.Invoke.virtual("io/helidon/http/HttpPrologue", "uriPath", "io/helidon/common/uri/UriPath"),
                        LeanAdvice.Invoke.onInterface("io/helidon/common/uri/UriPath", "rawPathNoParams", STRING)));

        /** A servlet API's {@code HttpServletRequest} in argument {@code argument}: {@code getMethod()}, {@code getRequestURI()}. */
        static LeanAdvice.RequestName servlet(String api, int argument) {
            String request = api.replace('.', '/') + "/http/HttpServletRequest";
            return new LeanAdvice.RequestName(argument, request, true,
                    List.of(LeanAdvice.Invoke.onInterface(request, "getMethod", STRING)),
                    List.of(LeanAdvice.Invoke.onInterface(request, "getRequestURI", STRING)));
        }
    }

    private static Hook nettyIoEvent() {
        return hook(LeanAdvice.EVENT_LOOP_ENCLOSING_CHANNEL, methods("handle").taking(2)
                .withRelocatableArgument(0, "io.netty.channel.IoRegistration"));
    }

    /**
     * Netty 4.1 epoll: the channel's read event, as the unsafe of each kind of channel declares it
     * (one row per declaring class, by name: no hierarchy walk per loaded class).
     */
    private static Hook nettyEpollInReady() {
        return hook(LeanAdvice.EVENT_LOOP_ENCLOSING_CHANNEL, methods("epollInReady").concreteOnly().taking(0));
    }

    /** A Netty row: its class as Netty names it, or relocated by a library that shades Netty. */
    private static Unit netty(String typeName, Hook... hooks) {
        return new Unit(typeName, Match.BY_NAME_OR_RELOCATED, EVERY_JDK, null, List.of(hooks));
    }

    private static Hook hook(LeanAdvice advice, String method) {
        return hook(advice, methods(method));
    }

    private static Hook hook(LeanAdvice advice, HookMethods methods) {
        return new Hook(methods, advice, false);
    }

    private static HookMethods methods(String... names) {
        return HookMethods.named(names);
    }

    private static HookMethods methods(List<String> names) {
        return HookMethods.named(names);
    }

    /** The methods a pattern names: one by name, or every method a program wrote into the class. */
    private static Hook hook(LeanAdvice advice, MethodPattern p) {
        return hook(advice, p.anyMethod() ? HookMethods.everyMethod() : methods(p.methodName()).realOnly());
    }
}
