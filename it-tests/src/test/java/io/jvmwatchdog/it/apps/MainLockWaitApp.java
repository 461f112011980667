package io.jvmwatchdog.it.apps;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code main}'s first act is a wait, for ever, for a {@code ReentrantLock} another thread holds: a
 * lock wait in {@code AbstractQueuedSynchronizer}, a class the JVM loaded before any agent, which
 * the watchdog must have woven before {@code main} (were it woven beside {@code main}, the wait
 * could begin in its old code). The holder prints "app: main waiting for the lock at N ms" (the
 * JVM's uptime) once {@code main} is in the wait.
 */
public final class MainLockWaitApp {

    private MainLockWaitApp() {
    }

    public static void main(String[] args) {
        ReentrantLock lock = new ReentrantLock();
        Thread main = Thread.currentThread();
        Thread holder = new Thread(() -> {
            lock.lock();
            while (!lock.hasQueuedThread(main) || main.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            System.out.println("app: main waiting for the lock at " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lock-holder");
        holder.setDaemon(true);
        holder.start();
        while (!lock.isLocked()) {
            Thread.onSpinWait();
        }
        lock.lock();
    }
}
