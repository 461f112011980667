package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.NettyApp;
import java.util.regex.Pattern;

/**
 * {@link NettyIT} on Netty's native epoll transport (Linux): the channel I/O event is
 * {@code AbstractEpollUnsafe.handle}, and an idle event loop waits in {@code epoll_wait}, a native
 * call no advice marks — idle because it is outside any unit.
 */
class NettyEpollIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(NettyApp.class).args("epoll").withLibraries("netty-");
    }

    @Override
    String unit() {
        return ServerReports.NETTY_EPOLL_CHANNEL_EVENT;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.nettyChannelDetail(exchange);
    }
}
