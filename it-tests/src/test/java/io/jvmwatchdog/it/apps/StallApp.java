package io.jvmwatchdog.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.ObjectName;

/**
 * A JVM whose whole progress the tests take away, for {@code JvmStallIT}. Commands on stdin, each
 * answered on stdout:
 * <ul>
 *   <li>{@code fill <fraction>}: keeps that fraction of the maximum heap live, in 4 KB arrays
 *       ("app: filled N MB of M MB");</li>
 *   <li>{@code churn}: a thread allocates short-lived 1 KB arrays without pause, as a busy service
 *       does; with a heap filled to 93 %, a death spiral ("app: churning");</li>
 *   <li>{@code release}: drops the live set: the spiral ends ("app: released");</li>
 *   <li>{@code spin <n>}: n threads compute without pause, wanting every core ("app: spinning n");</li>
 *   <li>{@code gauges <tag>}: the watchdog's MXBean's passes, stall count and stopped share, and this
 *       JVM's collection count ("app: gauges TAG passes=P stalls=S stopped=X collections=C");</li>
 *   <li>{@code exit}.</li>
 * </ul>
 * Every JMX notification of the watchdog is printed as "app: notification TYPE JSON" (the listener is
 * added once the agent registered its bean).
 */
public final class StallApp {

    static volatile Object sink;
    static volatile List<byte[]> live = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Thread listener = new Thread(StallApp::listen, "notification-listener");
        listener.setDaemon(true);
        listener.start();
        System.out.println("app: ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "fill" -> fill(Double.parseDouble(w[1]));
                case "churn" -> daemon("churn", StallApp::churn).start();
                case "release" -> {
                    live = new ArrayList<>();
                    System.out.println("app: released");
                }
                case "spin" -> {
                    int n = Integer.parseInt(w[1]);
                    for (int i = 0; i < n; i++) {
                        daemon("spin-" + i, StallApp::spin).start();
                    }
                    System.out.println("app: spinning " + n);
                }
                case "gauges" -> gauges(w.length > 1 ? w[1] : "now");
                case "exit" -> {
                    System.out.println("app: exiting");
                    return;
                }
                default -> System.out.println("app: unknown command " + line);
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void fill(double fraction) {
        long max = Runtime.getRuntime().maxMemory();
        List<byte[]> keep = new ArrayList<>();
        live = keep; // the earlier live set goes first
        long have = 0;
        while (have < max * fraction) {
            keep.add(new byte[4096]);
            have += 4096 + 16;
        }
        System.out.println("app: filled " + (have >> 20) + " MB of " + (max >> 20) + " MB");
    }

    private static void churn() {
        System.out.println("app: churning");
        while (true) {
            for (int i = 0; i < 1000; i++) {
                sink = new byte[1024];
            }
        }
    }

    private static void spin() {
        long x = 0;
        while (true) {
            x++;
            if ((x & 0xffff) == 0) {
                sink = x;
            }
        }
    }

    private static void gauges(String tag) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.jvmwatchdog:type=Watchdog");
        long collections = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
        }
        System.out.println("app: gauges " + tag + " passes=" + server.getAttribute(name, "Passes") + " stalls="
                + server.getAttribute(name, "JvmStalls") + " stopped=" + server.getAttribute(name, "JvmStoppedPercent")
                + " collections=" + collections);
    }

    /** Waits for the agent's bean (registered after the install), then prints each notification. */
    private static void listen() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.jvmwatchdog:type=Watchdog");
            while (!server.isRegistered(name)) {
                Thread.sleep(50);
            }
            server.addNotificationListener(name, (Notification n, Object handback) ->
                    System.out.println("app: notification " + n.getType() + " " + n.getUserData()), null, null);
            System.out.println("app: listening");
        } catch (Exception e) {
            System.out.println("app: cannot listen: " + e);
        }
    }
}
