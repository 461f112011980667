package io.jvmwatchdog.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What every server program ({@link JettyApp}, {@link NettyApp}, {@link TomcatApp}) serves, whatever
 * the server: each one only adapts its own request and response types to {@link #serve(String)}.
 *
 * <ul>
 *   <li>{@code /ok}: answers "ok" at once;</li>
 *   <li>{@code /hang/read}: connects to a silent peer (a loopback server in the same program that
 *       accepts and never writes; its acceptor is a plain thread, "silent-peer") and reads from it,
 *       for ever;</li>
 *   <li>{@code /hang/future}: waits in {@code get()} for a future nobody completes.</li>
 * </ul>
 *
 * Before hanging, a route prints "app: hanging in /hang/…" (the path only: the query string, which a
 * test fills with a secret, is never printed). The servers pass the path alone, never the query.
 */
public final class Routes {

    public static final String OK = "/ok";
    public static final String HANG_READ = "/hang/read";
    public static final String HANG_FUTURE = "/hang/future";

    private static volatile ServerSocket silentPeer;

    private Routes() {
    }

    /** Starts the silent peer; call once before the server takes requests. */
    public static void start() throws IOException {
        silentPeer = BlockingApp.silentPeer();
    }

    /** Prints the port the server listens on, then "app: ready": the tests wait for both. */
    public static void ready(int port) {
        System.out.println("app: port " + port);
        System.out.println("app: ready");
    }

    /**
     * The response body for a GET of {@code path} (no query string), or null for an unknown path;
     * never returns for the hang routes. Path parameters ({@code ;jsessionid=...}) are ignored, as a
     * servlet container ignores them when it maps a request (some servers pass them on, some not).
     */
    public static String serve(String path) throws IOException {
        switch (path.replaceAll(";[^/]*", "")) {
            case OK:
                return "ok";
            case HANG_READ:
                return readFromSilentPeer();
            case HANG_FUTURE:
                return awaitFutureNobodyCompletes();
            default:
                return null;
        }
    }

    private static String readFromSilentPeer() throws IOException {
        System.out.println("app: hanging in " + HANG_READ);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(silentPeer.getInetAddress(), silentPeer.getLocalPort()), 10_000);
            InputStream in = s.getInputStream();
            return "read " + in.read(); // the peer never writes: blocks for ever, in a socket read
        }
    }

    private static String awaitFutureNobodyCompletes() throws IOException {
        System.out.println("app: hanging in " + HANG_FUTURE);
        try {
            return new CompletableFuture<String>().get(); // nobody completes it: parked for ever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }
}
