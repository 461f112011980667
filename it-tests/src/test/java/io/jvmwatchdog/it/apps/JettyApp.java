package io.jvmwatchdog.it.apps;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12 with its defaults (a QueuedThreadPool, one ServerConnector on a loopback ephemeral port)
 * serving {@link Routes}: through a plain core {@link Handler} by default, or with the argument
 * {@code servlet} through {@link RoutesServlet} in an ee10 servlet context. Runs until killed.
 */
public final class JettyApp {

    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        boolean servlet = args.length > 0 && args[0].equals("servlet");
        Routes.start();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(servlet ? servletContext() : new RoutesHandler());
        server.start();
        Routes.ready(connector.getLocalPort());
        server.join();
    }

    private static Handler servletContext() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(RoutesServlet.class, "/*");
        return context;
    }

    /** {@link Routes} as a Jetty core handler; an unknown path is left to the server (404). */
    static final class RoutesHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String body = Routes.serve(Request.getPathInContext(request)); // the path, without the query
            if (body == null) {
                return false;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
