package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.NettyApp;
import java.util.regex.Pattern;

/**
 * {@link NettyIT} on Netty 4.1's native epoll transport (Linux), the one Reactor Netty, Spring
 * WebFlux and older gRPC pick when the native library is on the class path: there
 * {@code EpollEventLoop.processReady} calls each ready channel's unsafe, and a request's handlers run
 * inside the socket channel's {@code epollInReady}. Runs the same program (written the 4.1 way) against
 * the 4.1 jars the build copies to {@code target/netty-4.1}, the native library included.
 */
class Netty41EpollIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(NettyApp.class).args("epoll41").withJarsIn("netty-4.1");
    }

    @Override
    String unit() {
        return ServerReports.NETTY41_EPOLL_CHANNEL_EVENT;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.nettyChannelDetail(exchange);
    }
}
