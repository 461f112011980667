package io.jvmwatchdog.it.apps;

import com.example.itapps.Parker;
import java.util.concurrent.locks.LockSupport;

/**
 * A plain thread (no executor) that parks for ever in {@link Parker#work()}. Under
 * {@code entry=com.example.itapps.Parker#work} that method is budgeted, so waiting past the timeout in
 * it is stuck, although a waiting executor task would be healthy.
 *
 * <p>With the argument {@code --local}, the thread parks in {@link #work()} of this class instead (a
 * class inside the watchdog's own {@code io.jvmwatchdog.} namespace).
 */
public final class ParkingApp {

    private ParkingApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        boolean local = args.length > 0 && args[0].equals("--local");
        Thread worker = new Thread(local ? ParkingApp::work : Parker::work, "parking-worker");
        worker.start();
        System.out.println("app: ready");
        worker.join();
    }

    public static void work() {
        while (true) {
            LockSupport.park(ParkingApp.class); // spurious wake-ups just park again
        }
    }
}
