package io.jvmwatchdog.it.apps;

import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A short Jetty 12 life, for class sharing: start on a loopback ephemeral port, answer two requests,
 * stop, exit (after a watchdog agent's background install, if one runs). Its classes and Jetty's come from jars, which is what a CDS archive or an AOT cache
 * can hold. Prints "app: done" last.
 */
public final class SharingApp {

    private SharingApp() {
    }

    public static void main(String[] args) throws Exception {
        awaitBackgroundInstall();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        for (int i = 0; i < 2; i++) {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + connector.getLocalPort() + "/").openConnection();
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("status " + c.getResponseCode());
            }
            c.getInputStream().readAllBytes();
            c.disconnect();
        }
        server.stop();
        System.out.println("app: done");
    }

    /**
     * Waits (at most 30 s) for a watchdog agent's background install to end, so that Jetty loads
     * with the instrumentation in place and the agent lives long enough to say it started.
     */
    private static void awaitBackgroundInstall() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline
                && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("watchdog-install"))) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // the agent's start thread logs that it started
    }
}
