package io.jvmwatchdog.it.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Netty on the NIO transport, on the native epoll one with {@code epoll} as argument, or as Netty 4.1
 * programs are written with {@code nio41} and {@code epoll41} (one acceptor event loop, two I/O event loops, a loopback ephemeral
 * port) serving {@link Routes} with its HTTP codec. The handler runs {@link Routes#serve} right in
 * {@code channelRead0}, on the event loop: for the hang routes that blocks the event loop, the very
 * thing an event loop must never do, and what the watchdog has to catch. Runs until killed.
 */
public final class NettyApp {

    private NettyApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        String transport = args.length > 0 ? args[0] : "nio";
        EventLoopGroup acceptor = group(transport, 1);
        EventLoopGroup io = group(transport, 2);
        Channel server = new ServerBootstrap()
                .group(acceptor, io)
                .channel(transport.startsWith("epoll") ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new RoutesHandler());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        Routes.ready(((InetSocketAddress) server.localAddress()).getPort());
        server.closeFuture().sync();
    }

    /**
     * Event loops for the transport: {@code nio} and {@code epoll} the 4.2 way (an I/O handler per
     * loop), {@code nio41} and {@code epoll41} the 4.1 way ({@code NioEventLoopGroup} and
     * {@code EpollEventLoopGroup}, still in 4.2 but deprecated), the only ones that run on Netty 4.1;
     * their classes are touched only on those paths.
     */
    @SuppressWarnings("deprecation")
    private static EventLoopGroup group(String transport, int threads) {
        switch (transport) {
            case "nio41":
                return new io.netty.channel.nio.NioEventLoopGroup(threads);
            case "epoll41":
                return new io.netty.channel.epoll.EpollEventLoopGroup(threads);
            case "epoll":
                return new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
            default:
                return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        }
    }

    /** {@link Routes} as a Netty handler; keep-alive as the client asks. */
    static final class RoutesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            String path = new QueryStringDecoder(request.uri()).path(); // without the query string
            String body = Routes.serve(path); // on the event loop, on purpose (see the class comment)
            HttpResponseStatus status = body == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK;
            ByteBuf content = Unpooled.copiedBuffer(body == null ? "not found" : body, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
