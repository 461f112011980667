package io.jvmwatchdog.it.apps;

/** Says it ran. Used where main must never run (a rejected agent option). */
public final class HelloApp {

    private HelloApp() {
    }

    public static void main(String[] args) {
        System.out.println("app: main ran");
    }
}
