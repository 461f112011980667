package com.example.itapps;

/** {@link #ready()} is the readiness method: {@code ready=com.example.itapps.Startup#ready}. */
public final class Startup {

    private Startup() {
    }

    /** Startup is complete once this returns. */
    public static void ready() {
        System.out.println("app: ready() called");
    }
}
