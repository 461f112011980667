package io.jvmwatchdog.it;

import io.jvmwatchdog.it.ServerReports.Exchange;
import io.jvmwatchdog.it.apps.NettyApp;
import java.util.regex.Pattern;

/**
 * {@link NettyIT} on Netty 4.1, still the most deployed Netty: there the event loop itself calls
 * {@code NioEventLoop.processSelectedKey(key, channel)} for each channel event. Runs the same program
 * (written the 4.1 way) against the 4.1 jars the build copies to {@code target/netty-4.1}.
 */
class Netty41IT extends ServerContract {

    @Override
    JvmProcess.Builder server() {
        return JvmProcess.app(NettyApp.class).args("nio41").withJarsIn("netty-4.1");
    }

    @Override
    String unit() {
        return ServerReports.NETTY41_CHANNEL_EVENT;
    }

    @Override
    Pattern detail(Exchange exchange) {
        return ServerReports.nettyChannelDetail(exchange);
    }
}
