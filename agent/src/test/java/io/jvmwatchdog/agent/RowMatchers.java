package io.jvmwatchdog.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The rows as Byte Buddy's matchers, which wove them until the lean weaver did: an oracle, written
 * apart from {@link HookMethods#matches} and {@link LeanWeaver}'s class selection, that the tests
 * hold those against on real classes (type descriptions of class files, hierarchies resolved by a
 * type pool).
 */
final class RowMatchers {

    private RowMatchers() {
    }

    /** The classes a row weaves. */
    static ElementMatcher<TypeDescription> types(UnitsOfWork.Unit unit) {
        // Fail-safe: a class whose supertypes cannot all be resolved (an optional dependency absent)
        // is no subtype.
        return switch (unit.match()) {
            case BY_NAME -> named(unit.typeName());
            case BY_NAME_OR_RELOCATED -> named(unit.typeName()).or(nameEndsWith("." + unit.typeName()));
            case SUBTYPES -> failSafe(not(isInterface()).and(hasSuperType(named(unit.typeName()))));
        };
    }

    /** The methods a hook weaves. */
    static ElementMatcher<MethodDescription> methods(HookMethods which) {
        ElementMatcher.Junction<MethodDescription> m = which.names().isEmpty() ? any()
                : namedOneOf(which.names().toArray(new String[0]));
        m = m.and(isMethod()).and(not(isAbstract())).and(not(isNative()));
        if (which.realMethods()) {
            m = m.and(not(isBridge())).and(not(isSynthetic()));
        }
        if (which.mustBeStatic()) {
            m = m.and(isStatic());
        }
        if (which.arguments() >= 0) {
            m = m.and(takesArguments(which.arguments()));
        }
        for (HookMethods.ArgumentType a : which.argumentTypes()) {
            m = m.and(takesArgument(a.index(), a.relocatable()
                    ? named(a.typeName()).or(nameEndsWith("." + a.typeName())) : named(a.typeName())));
        }
        return m;
    }

    static ElementMatcher<MethodDescription> methods(UnitsOfWork.Hook hook) {
        return methods(hook.which());
    }
}
