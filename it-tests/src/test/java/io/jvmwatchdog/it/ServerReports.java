package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.Routes;
import java.util.regex.Pattern;

/**
 * What the agent writes about a stuck unit of a real server (issue 4): every exact text the server
 * tests compare is here, in one place, so a change of format is a change of this file only.
 *
 * <p>In a {@code stuck} event, a thread inside a server's unit has
 * <ul>
 *   <li>{@code "detail"}: what the unit is serving, e.g. {@code request GET /hang/read} (method and
 *       path, never the query string) or, for a Netty channel event, {@code channel } and Netty's
 *       {@code Channel.toString()};</li>
 *   <li>{@code "entry"}: {@code Class.method} of the outermost unit, a space and the detail in
 *       parentheses, e.g. {@code org.eclipse.jetty.server.Server.handle (request GET /hang/read)}; the
 *       summary line on stderr says {@code , entry } and the same text.</li>
 * </ul>
 */
final class ServerReports {

    private ServerReports() {
    }

    /** The units, {@code Class.method} as the entry names them (nested classes with {@code $}). */
    static final String JETTY_REQUEST = "org.eclipse.jetty.server.Server.handle";
    static final String TOMCAT_REQUEST = "org.apache.catalina.connector.CoyoteAdapter.service";
    static final String NETTY_CHANNEL_EVENT = "io.netty.channel.nio.AbstractNioChannel$AbstractNioUnsafe.handle";
    static final String UNDERTOW_REQUEST = "io.undertow.server.Connectors.executeRootHandler";
    static final String NETTY_EPOLL_CHANNEL_EVENT = "io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe.handle";
    static final String NETTY41_CHANNEL_EVENT = "io.netty.channel.nio.NioEventLoop.processSelectedKey";
    /** A socket channel's read event on Netty 4.1's epoll transport, where its unsafe declares it. */
    static final String NETTY41_EPOLL_CHANNEL_EVENT =
            "io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe.epollInReady";
    static final String JDK_HTTP_EXCHANGE = "sun.net.httpserver.ServerImpl$Exchange.run";
    static final String HELIDON_REQUEST = "io.helidon.webserver.http1.Http1Connection.route";

    /** The {@code detail} of an HTTP request unit: method and path, no query string. */
    static Pattern requestDetail(Exchange x) {
        return Pattern.compile(Pattern.quote("request GET " + x.path()));
    }

    /**
     * The {@code detail} of a Netty channel event: Netty's {@code Channel.toString()} of the server's
     * side of the connection, {@code [id: 0x<8 hex digits>, L:/<local> - R:/<remote>]}.
     */
    static Pattern nettyChannelDetail(Exchange x) {
        return Pattern.compile(Pattern.quote("channel [id: 0x") + "[0-9a-f]{8}"
                + Pattern.quote(", L:/127.0.0.1:" + x.serverPort() + " - R:/127.0.0.1:" + x.clientPort() + "]"));
    }

    /** The {@code entry} of a thread in {@code unit} serving {@code detail}. */
    static String entry(String unit, String detail) {
        return unit + " (" + detail + ")";
    }

    /** The thread's line in the summary on stderr (a new offender), with that entry at its end. */
    static Pattern summaryLine(String threadName, long threadId, String entry) {
        return Pattern.compile("\\t\"" + Pattern.quote(threadName) + "\" #" + threadId + " [^\\n]*, entry "
                + Pattern.quote(entry) + " \\[new]\\R");
    }

    /** The start of a stack frame of {@code Class.method}, in the events' jstack form. */
    static String frame(String classDotMethod) {
        return classDotMethod + "(";
    }

    /** One request to a server, as the report should name it. */
    record Exchange(int serverPort, int clientPort, String path) {
    }

    /** The hang routes of {@link Routes}, and what a report on each says. */
    enum Hang {
        /**
         * A socket read from a silent peer: an uninterruptible wait, named as for an executor task (a
         * budgeted unit is named by the task rule's reason when that rule catches it too).
         */
        READ(Routes.HANG_READ, "io.jvmwatchdog.it.apps.Routes.readFromSilentPeer",
                "sun.nio.ch.NioSocketImpl.read", "uninterruptible-wait",
                "socket read (sun.nio.ch.NioSocketImpl.read)", "RUNNABLE", "WAITING", false),
        /**
         * {@code get()} on a future nobody completes: a park, an interruptible wait, healthy in an
         * executor task but stuck past the timeout in a budgeted unit such as a request; the README's
         * name for that is {@code budget-exceeded}.
         */
        FUTURE(Routes.HANG_FUTURE, "io.jvmwatchdog.it.apps.Routes.awaitFutureNobodyCompletes",
                "java.util.concurrent.CompletableFuture.get", "budget-exceeded",
                "parked (java.util.concurrent.locks.LockSupport.park)", "WAITING", "WAITING", true);

        /** The route. */
        final String path;
        /** {@code Class.method} of the program's frame that hangs: how the test finds the thread. */
        final String appMethod;
        /** {@code Class.method} of the JDK frame it hangs in. */
        final String jdkMethod;
        /** The event's {@code reason}. */
        final String reason;
        /** The event's {@code blockedOn}. */
        final String blockedOn;
        /** The event's {@code state}. */
        final String state;
        /** The event's {@code state} on a virtual thread, which parks in a socket read too. */
        final String virtualState;
        /** The event's {@code interruptible}. */
        final boolean interruptible;

        Hang(String path, String appMethod, String jdkMethod, String reason, String blockedOn, String state,
             String virtualState, boolean interruptible) {
            this.path = path;
            this.appMethod = appMethod;
            this.jdkMethod = jdkMethod;
            this.reason = reason;
            this.blockedOn = blockedOn;
            this.state = state;
            this.virtualState = virtualState;
            this.interruptible = interruptible;
        }
    }
}
