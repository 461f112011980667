package io.jvmwatchdog.it.apps;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.Tomcat;

/**
 * A web application deployed in embedded Tomcat, served once, and undeployed, {@code N} times, the way
 * a servlet container redeploys one: each deployment has its own class loader, which loads its own
 * copy of {@code com.example.itapps.webapp.RedeployedServlet} from the application's WEB-INF/classes.
 * The program keeps a weak reference to each loader; after the last undeployment it collects and
 * prints how many are still reachable: {@code app: 0 of 20 loaders still reachable}.
 *
 * <p>Usage: {@code RedeployApp N}.
 */
public final class RedeployApp {

    private static final String SERVLET = "com.example.itapps.webapp.RedeployedServlet";

    private RedeployApp() {
    }

    public static void main(String[] args) throws Exception {
        int deployments = Integer.parseInt(args[0]);
        Path base = Files.createTempDirectory("tomcat");
        byte[] servletClass;
        try (InputStream in = RedeployApp.class.getResourceAsStream("/" + SERVLET.replace('.', '/') + ".class")) {
            servletClass = in.readAllBytes();
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        tomcat.start();
        int port = connector.getLocalPort();

        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 1; i <= deployments; i++) {
            Path docBase = Files.createDirectories(base.resolve("app" + i));
            Path classFile = docBase.resolve("WEB-INF/classes/" + SERVLET.replace('.', '/') + ".class");
            Files.createDirectories(classFile.getParent());
            Files.write(classFile, servletClass);
            StandardContext context = new StandardContext();
            context.setName("/app" + i);
            context.setPath("/app" + i);
            context.setDocBase(docBase.toString());
            context.addLifecycleListener(new Tomcat.FixContextListener());
            context.setLoader(new WebappLoader()); // a loader of the application's own, as a deployment has
            Tomcat.addServlet(context, "redeployed", SERVLET); // by name: loaded through that loader
            context.addServletMappingDecoded("/*", "redeployed");
            tomcat.getHost().addChild(context); // deploy: starts it
            String body = get(port, "/app" + i + "/hello");
            ClassLoader loader = context.getLoader().getClassLoader();
            if (!body.equals("served by " + System.identityHashCode(loader))) {
                throw new IllegalStateException("deployment " + i + " was not served by its own loader: " + body);
            }
            loaders.add(new WeakReference<>(loader));
            tomcat.getHost().removeChild(context); // undeploy: stops and destroys the context
        }
        System.out.println("app: " + deployments + " deployments served and undeployed");
        int alive = deployments;
        for (int round = 0; round < 20 && alive > 0; round++) {
            System.gc();
            Thread.sleep(100); // let reference processing run
            alive = (int) loaders.stream().filter(r -> r.get() != null).count();
        }
        System.out.println("app: " + alive + " of " + deployments + " loaders still reachable");
        tomcat.stop();
        tomcat.destroy();
    }

    private static String get(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setRequestProperty("Connection", "close");
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes());
        } finally {
            c.disconnect();
        }
    }
}
