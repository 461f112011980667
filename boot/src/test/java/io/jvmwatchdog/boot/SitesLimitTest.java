package io.jvmwatchdog.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Site numbers fit the {@code char} a thread's state keeps them in, however many names are
 * registered. Run on a copy of {@link Sites} in a loader of its own, since using up the numbers of
 * the shared one would leave every later test in this JVM with nameless sites.
 */
class SitesLimitTest {

    @Test
    void pastTheLastNumberANameGetsItsKindsSharedSite_andEarlierNamesKeepTheirs() throws Exception {
        URL classes = Sites.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader own = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> sites = own.loadClass(Sites.class.getName());
            assertNotEquals(Sites.class, sites, "a copy of its own");
            Method register = sites.getMethod("register", String.class, int.class);
            Method name = sites.getMethod("name", int.class);
            Method kind = sites.getMethod("kind", int.class);

            int first = (int) register.invoke(null, "first.name", Blocking.NONE);
            int last = first;
            for (int i = 0; last < Sites.LAST_NAMED; i++) {
                last = (int) register.invoke(null, "name." + i, Blocking.NONE);
            }
            assertEquals(Sites.LAST_NAMED, last, "every number up to the last named one is given");

            int pastRead = (int) register.invoke(null, "past.Socket.read", Blocking.SOCKET_READ);
            int pastRead2 = (int) register.invoke(null, "past.Other.read", Blocking.SOCKET_READ);
            int pastLock = (int) register.invoke(null, "past.Lock.lock", Blocking.LOCK);
            int pastEntry = (int) register.invoke(null, "past.Task.run", Blocking.NONE);
            for (int site : new int[] {pastRead, pastLock, pastEntry}) {
                assertTrue(site > Sites.LAST_NAMED && site <= Sites.MAX, "fits a char: " + site);
                assertEquals(Sites.UNNAMED, name.invoke(null, site));
            }
            assertEquals(pastRead, pastRead2, "one shared site per kind");
            assertNotEquals(pastRead, pastLock);
            assertEquals(Blocking.SOCKET_READ, kind.invoke(null, pastRead), "the kind is still told");
            assertEquals(Blocking.LOCK, kind.invoke(null, pastLock));
            assertEquals("first.name", name.invoke(null, first), "names given before keep their numbers");
            assertEquals(first, register.invoke(null, "first.name", Blocking.NONE));
        }
    }
}
