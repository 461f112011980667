package com.example.itapps;

import java.util.concurrent.locks.LockSupport;

/** {@link #work()} parks for ever: configured as {@code entry=com.example.itapps.Parker#work}. */
public final class Parker {

    private Parker() {
    }

    public static void work() {
        while (true) {
            LockSupport.park(Parker.class); // spurious wake-ups just park again
        }
    }
}
