package io.jvmwatchdog.it.apps;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;

/**
 * A servlet called by no container the agent knows: a plain thread calls {@code service} with
 * requests made of proxies, as a home-grown or unknown container would. Only the generic servlet
 * rule can watch it. {@code args[0]} is {@code jakarta} or {@code javax}; the request is
 * {@code GET /bare/hang?secret=s3cr3t} and the servlet waits forever on a future. The call is made
 * once a line "go" arrives on stdin.
 */
public final class BareServletApp {

    private BareServletApp() {
    }

    public static void main(String[] args) throws Exception {
        Runnable call = "javax".equals(args[0]) ? BareServletApp::javaxCall : BareServletApp::jakartaCall;
        System.out.println("app: ready");
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("go")) {
            // ignore anything else
        }
        if (line == null) {
            return; // stdin closed: the test is gone
        }
        Thread caller = new Thread(call, "bare-container");
        caller.setDaemon(true);
        caller.start();
        caller.join();
    }

    static void hang() {
        try {
            new CompletableFuture<Void>().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jakartaCall() {
        jakarta.servlet.http.HttpServlet servlet = new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp) {
                hang();
            }
        };
        try {
            servlet.service(proxy(jakarta.servlet.http.HttpServletRequest.class),
                    proxy(jakarta.servlet.http.HttpServletResponse.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void javaxCall() {
        javax.servlet.http.HttpServlet servlet = new javax.servlet.http.HttpServlet() {
            @Override
            protected void doGet(javax.servlet.http.HttpServletRequest req, javax.servlet.http.HttpServletResponse resp) {
                hang();
            }
        };
        try {
            servlet.service(proxy(javax.servlet.http.HttpServletRequest.class),
                    proxy(javax.servlet.http.HttpServletResponse.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request or response that answers the few questions HttpServlet asks; anything else is empty. */
    private static <T> T proxy(Class<T> type) {
        Object p = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) ->
                switch (method.getName()) {
                    case "getMethod" -> "GET";
                    case "getRequestURI" -> "/bare/hang";
                    case "getQueryString" -> "secret=s3cr3t";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getDateHeader", "getLastModified" -> -1L;
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> type.getSimpleName() + " proxy";
                    default -> empty(method.getReturnType());
                });
        return type.cast(p);
    }

    private static Object empty(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
