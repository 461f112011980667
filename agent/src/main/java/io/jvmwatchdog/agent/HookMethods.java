package io.jvmwatchdog.agent;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Which methods of a row's class one hook weaves, as plain data: names, and what narrows them (how
 * many arguments, an argument's type, static, concrete), tested on a method as a class file
 * declares it ({@link #matches}), as {@link LeanWeaver} meets it.
 *
 * @param names the names meant; empty for every method ({@code entry=Class#*})
 * @param arguments how many arguments, or -1 for any number
 * @param argumentTypes the type some arguments must have
 * @param concrete only methods with code (not abstract)
 * @param mustBeStatic only static methods
 * @param realMethods only methods a program wrote: no constructor, bridge or synthetic method, and
 *     none without code (abstract, native)
 */
record HookMethods(List<String> names, int arguments, List<ArgumentType> argumentTypes, boolean concrete,
                   boolean mustBeStatic, boolean realMethods) {

    /**
     * An argument that must be of one type.
     *
     * @param relocatable the type may also be found relocated under a prefix (a shaded Netty), as
     *     ({@link UnitsOfWork.Match#BY_NAME_OR_RELOCATED})
     */
    record ArgumentType(int index, String typeName, boolean relocatable) {
    }

    HookMethods {
        names = List.copyOf(names);
        argumentTypes = List.copyOf(argumentTypes);
    }

    static HookMethods named(String... names) {
        return named(List.of(names));
    }

    static HookMethods named(List<String> names) {
        return new HookMethods(names, -1, List.of(), false, false, false);
    }

    /** Every method a program wrote into the class ({@code entry=Class#*}). */
    static HookMethods everyMethod() {
        return new HookMethods(List.of(), -1, List.of(), true, false, true);
    }

    /** These, among the methods a program wrote ({@code entry=Class#method}). */
    HookMethods realOnly() {
        return new HookMethods(names, arguments, argumentTypes, true, mustBeStatic, true);
    }

    HookMethods taking(int count) {
        return new HookMethods(names, count, argumentTypes, concrete, mustBeStatic, realMethods);
    }

    HookMethods withArgument(int index, String typeName) {
        return withArgument(new ArgumentType(index, typeName, false));
    }

    HookMethods withRelocatableArgument(int index, String typeName) {
        return withArgument(new ArgumentType(index, typeName, true));
    }

    private HookMethods withArgument(ArgumentType type) {
        List<ArgumentType> types = new ArrayList<>(argumentTypes);
        types.add(type);
        return new HookMethods(names, arguments, types, concrete, mustBeStatic, realMethods);
    }

    HookMethods concreteOnly() {
        return new HookMethods(names, arguments, argumentTypes, true, mustBeStatic, realMethods);
    }

    HookMethods staticOnly() {
        return new HookMethods(names, arguments, argumentTypes, concrete, true, realMethods);
    }

    /**
     * Whether a method, as a class file declares it, is one of these: never a constructor, and
     * never a method without code (there is nothing to weave).
     */
    boolean matches(int access, String name, String descriptor) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || name.startsWith("<")
                || (!names.isEmpty() && !names.contains(name))
                || (realMethods && (access & (Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0)
                || (mustBeStatic && (access & Opcodes.ACC_STATIC) == 0)) {
            return false;
        }
        Type[] types = Type.getArgumentTypes(descriptor);
        if (arguments >= 0 && types.length != arguments) {
            return false;
        }
        for (ArgumentType a : argumentTypes) {
            if (a.index() >= types.length || types[a.index()].getSort() != Type.OBJECT) {
                return false;
            }
            String type = types[a.index()].getClassName();
            if (!type.equals(a.typeName()) && !(a.relocatable() && type.endsWith("." + a.typeName()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (names.isEmpty() ? "*" : String.join(",", names)) + (arguments >= 0 ? "(" + arguments + " arguments)" : "");
    }
}
