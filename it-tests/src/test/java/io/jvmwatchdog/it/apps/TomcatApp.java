package io.jvmwatchdog.it.apps;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 11 with its defaults (the NIO HTTP/1.1 connector and its thread pool, on a loopback
 * ephemeral port) serving {@link Routes} through {@link RoutesServlet}. Its base directory is a new
 * directory under {@code java.io.tmpdir}, which the tests point at their {@code @TempDir}. Runs until
 * killed.
 */
public final class TomcatApp {

    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        Routes.start();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "routes", new RoutesServlet());
        context.addServletMapping("/", "routes");
        tomcat.start();
        Routes.ready(connector.getLocalPort());
        tomcat.getServer().await();
    }
}
