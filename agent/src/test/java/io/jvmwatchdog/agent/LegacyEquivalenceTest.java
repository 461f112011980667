package io.jvmwatchdog.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.Options;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Temporary: the new tables hand Byte Buddy exactly what the old code did, field by field. */
class LegacyEquivalenceTest {

    @Test
    void sameTargets() throws Exception {
        for (boolean late : new boolean[] {false, true}) {
            for (Options options : List.of(Options.defaults(),
                    Options.parse("entry=com.example.A#run;com.example.B#*,ready=com.example.App#started"))) {
                List<Instrumenter.Target> old = LegacyTargets.targets(options, late);
                List<Instrumenter.Target> now = Instrumenter.targets(options, late);
                assertEquals(old.size(), now.size(), "size");
                List<Integer> matchedOld = new ArrayList<>();
                for (Instrumenter.Target n : now) {
                    int twin = -1;
                    for (int i = 0; i < old.size() && twin < 0; i++) {
                        Instrumenter.Target o = old.get(i);
                        if (!matchedOld.contains(i) && deepEqual(o.types(), n.types()) && deepEqual(o.advice(), n.advice())
                                && o.loaders().toString().equals(n.loaders().toString())) {
                            twin = i;
                        }
                    }
                    int found = twin;
                    assertTrue(found >= 0, () -> "no legacy twin for " + n.types() + " " + n.loaders());
                    matchedOld.add(found);
                }
                // rows of one type keep their relative order
                for (int a = 0; a < now.size(); a++) {
                    for (int b = a + 1; b < now.size(); b++) {
                        if (now.get(a).types().toString().equals(now.get(b).types().toString())) {
                            assertTrue(matchedOld.get(a) < matchedOld.get(b), "order of " + now.get(a).types());
                        }
                    }
                }
                System.out.println("late=" + late + " options=" + options + " rows=" + now.size() + " order " + matchedOld);
            }
        }
    }

    static boolean deepEqual(Object a, Object b) {
        return deepEqual(a, b, new IdentityHashMap<>());
    }

    private static boolean deepEqual(Object a, Object b, IdentityHashMap<Object, Object> seen) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            return false;
        }
        if (seen.get(a) == b) {
            return true;
        }
        seen.put(a, b);
        Class<?> c = a.getClass();
        if (c == LoaderSees.class) {
            return a.toString().equals(b.toString());
        }
        if (c.isArray()) {
            if (Array.getLength(a) != Array.getLength(b)) {
                return false;
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                if (!deepEqual(Array.get(a, i), Array.get(b, i), seen)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!deepEqual(la.get(i), lb.get(i), seen)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !deepEqual(e.getValue(), mb.get(e.getKey()), seen)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Collection<?> || c.getName().startsWith("java.") || c.isEnum() || java.lang.reflect.Proxy.isProxyClass(c)) {
            return a.equals(b);
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    if (!deepEqual(f.get(a), f.get(b), seen)) {
                        return false;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new AssertionError(k + "." + f.getName(), e);
                }
            }
        }
        return true;
    }
}
