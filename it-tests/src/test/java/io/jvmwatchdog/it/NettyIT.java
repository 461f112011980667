package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.NettyApp;
import java.util.regex.Pattern;

/**
 * Issue 4 on Netty 4.2 (NIO transport): the handler blocks the event loop itself, inside the channel
 * I/O event ({@code AbstractNioUnsafe.handle}) that read the request, so the report names the
 * channel, not a request.
 */
class NettyIT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(NettyApp.class).withLibraries("netty-");
    }

    @Override
    String unit() {
        return ServerReports.NETTY_CHANNEL_EVENT;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.nettyChannelDetail(exchange);
    }
}
