package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.UnitProbes;
import java.util.List;
import net.bytebuddy.jar.asm.Type;

/**
 * A unit row's advice as data that {@link LeanWeaver} writes with ASM alone: a call into the boot
 * runtime ({@link UnitProbes}) at the method's start, and one before each return (and, where the
 * unit must end however the method ends, in a catch-all that rethrows). The calls are straight-line:
 * every decision (was a job returned, is the task null) is the probe's, so the woven code has no
 * branch and needs no stack map frame of its own but the catch-all's.
 *
 * <p>The enter is one call that hands the probes what the method has at hand (its site, {@code
 * this}, an argument, the enclosing instance, the value it returns), or, for a server's request, a
 * few calls on the request that name it ({@link RequestName}), in a handler of their own.
 *
 * @param enter called first, or null; when it returns a {@code ThreadState} that {@code exit} reads,
 *     the state is kept in a local of its own
 * @param exit called before each return, or null
 * @param exitOnThrow whether {@code exit} is also called when the method throws
 * @param unitName the name the {@link Value#UNIT} value registers, or null when no call passes it
 * @param entersBudgetedUnit whether the enter call enters a budgeted unit (adoption looks for those)
 * @param request for a server's request unit, how the request is named (then {@code enter} is null)
 */
record LeanAdvice(Call enter, Call exit, boolean exitOnThrow, String unitName, boolean entersBudgetedUnit,
                  RequestName request) {

    /**
     * How a request unit names the request it serves, from one argument of the woven method: two
     * chains of calls on it, which give the HTTP method and the path. The woven code asks first
     * whether the name will be kept ({@code UnitProbes.wantsRequestName}: an outer unit may have
     * named the request already), and reads the names inside a handler that leaves a request it
     * cannot read unnamed (a call the library does not have, or one that throws), still a unit.
     *
     * @param argument which argument holds the request
     * @param type the request's type, internal name: the argument is cast to it
     * @param checked whether the argument may be of another type (a {@code ServletRequest} that is
     *     no {@code HttpServletRequest}): then it is tested first, and another type is left unnamed
     * @param method the calls that give the HTTP method, the first on {@code type}, each on what the
     *     one before returned, the last returning a {@code String}
     * @param path the calls that give the path, as raw as the library holds it
     */
    record RequestName(int argument, String type, boolean checked, List<Invoke> method, List<Invoke> path) {
        RequestName {
            method = List.copyOf(method);
            path = List.copyOf(path);
        }
    }

    /** One call of a chain: on a class ({@code INVOKEVIRTUAL}) or an interface ({@code INVOKEINTERFACE}). */
    record Invoke(boolean onInterface, String owner, String name, String returnType) {
        static Invoke virtual(String owner, String name, String returnType) {
            return new Invoke(false, owner, name, returnType);
        }

        static Invoke onInterface(String owner, String name, String returnType) {
            return new Invoke(true, owner, name, returnType);
        }

        String descriptor() {
            return "()L" + returnType + ";";
        }
    }

    /** What a call passes, each pushed in this order. */
    enum Value {
        /** The woven method's site number ({@code Sites}): the unit's entry. */
        SITE,
        /** The site number of {@link LeanAdvice#unitName}: a pool's run loop, whichever of its methods is woven. */
        UNIT,
        /** {@code this}. */
        THIS,
        /** The method's first argument, a reference. */
        ARGUMENT_0,
        /** The method's second argument, a reference. */
        ARGUMENT_1,
        /** {@code this$0}: an inner class's enclosing instance. */
        ENCLOSING,
        /** {@code ForkJoinTask.getPool()}: the pool of the calling worker, or null. */
        FORK_JOIN_POOL,
        /** What the enter call returned. */
        STATE,
        /** The value the method returns (a reference); always a call's first value. */
        RETURNED
    }

    /** One static call into {@link UnitProbes}. */
    record Call(String method, List<Value> values) {
        Call {
            values = List.copyOf(values);
            int returned = values.indexOf(Value.RETURNED);
            if (returned > 0) {
                throw new IllegalArgumentException(method + ": the returned value must come first");
            }
        }

        static Call of(String method, Value... values) {
            return new Call(method, List.of(values));
        }

        /**
         * Its descriptor, read off {@link UnitProbes} as a method is woven: a misspelt call fails
         * that class's weave, which says so ({@code LeanWeaverUnitsTest} weaves every kind).
         */
        String descriptor() {
            for (java.lang.reflect.Method m : UnitProbes.class.getDeclaredMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == values.size()) {
                    return Type.getMethodDescriptor(m);
                }
            }
            throw new IllegalStateException("UnitProbes has no " + method + " of " + values.size() + " arguments");
        }

        boolean reads(Value value) {
            return values.contains(value);
        }
    }

    LeanAdvice {
        if (exitOnThrow && exit != null && (exit.reads(Value.RETURNED) || exit.reads(Value.THIS)
                || exit.reads(Value.ARGUMENT_0) || exit.reads(Value.ARGUMENT_1) || exit.reads(Value.ENCLOSING))) {
            throw new IllegalArgumentException("an exit on throw can read only the state and constants: " + exit);
        }
    }

    /** Whether the enter's result is kept for the exit. */
    boolean keepsState() {
        return (enter != null || request != null) && exit != null && exit.reads(Value.STATE);
    }

    LeanAdvice named(String unit) {
        return new LeanAdvice(enter, exit, exitOnThrow, unit, entersBudgetedUnit, request);
    }

    private static LeanAdvice of(Call enter, Call exit, boolean exitOnThrow) {
        return new LeanAdvice(enter, exit, exitOnThrow, null, false, null);
    }

    private static LeanAdvice budgeted(Call enter) {
        return new LeanAdvice(enter, Call.of("exitBudgeted", Value.STATE), true, null, true, null);
    }

    /** A server's request unit (budgeted), named as {@code name} says. */
    static LeanAdvice request(RequestName name) {
        return new LeanAdvice(null, Call.of("exitBudgeted", Value.STATE), true, null, true, name);
    }

    // The advice of the rows, one constant per kind of unit mark.

    /** One run of a task: an executor's, a job runner's. */
    static final LeanAdvice TASK = of(Call.of("enterTask", Value.SITE), Call.of("exitTask", Value.STATE), true);
    /** A ForkJoinPool's task, naming its pool. */
    static final LeanAdvice FORK_JOIN_TASK = of(Call.of("enterPoolTask", Value.SITE, Value.FORK_JOIN_POOL),
            Call.of("exitTask", Value.STATE), true);
    /** A task of an inner class of its pool, naming the pool (its enclosing instance). */
    static final LeanAdvice ENCLOSED_POOL_TASK = of(Call.of("enterPoolTask", Value.SITE, Value.ENCLOSING),
            Call.of("exitTask", Value.STATE), true);
    /** A pool worker's run loop: a job from its first to its end, however it ends. */
    static final LeanAdvice WORKER_LOOP = of(Call.of("jobBegin", Value.UNIT, Value.THIS), Call.of("jobEnd"), true);
    /** A pool worker's wait for work: its job ends, and the next begins if the wait returns one. */
    static final LeanAdvice POOL_WAIT = of(Call.of("jobEnd"),
            Call.of("jobTaken", Value.RETURNED, Value.STATE, Value.UNIT, Value.THIS), false);
    /** A job begins (a worker whose wait for work ran old code). */
    static final LeanAdvice JOB_START = of(Call.of("jobBegin", Value.UNIT, Value.THIS), null, false);
    /** A loop that waits for work of its own: the pool job around it is over. */
    static final LeanAdvice CONNECTION_LOOP = of(Call.of("jobEnd"), null, false);
    /** A queue's waiting take: a queue job begins if it returns an element. */
    static final LeanAdvice QUEUE_TAKE = of(Call.of("queueWaitBegins"),
            Call.of("queueJobTaken", Value.RETURNED, Value.STATE, Value.SITE), false);
    /** A timer's thread takes a task off its queue. */
    static final LeanAdvice TIMER_TASK_TAKEN = of(null, Call.of("queueJobBegins", Value.UNIT), false);
    /** A timer's thread looks at its queue again: the task before is over. */
    static final LeanAdvice TIMER_QUEUE_LOOK = of(Call.of("queueWaitBegins"), null, false);
    /** A virtual thread parks pinned to its carrier. */
    static final LeanAdvice PINNED_PARK = of(Call.of("pinnedParkBegin"), Call.of("pinnedParkEnd", Value.STATE), true);
    /** The application API. */
    static final LeanAdvice READY = of(null, Call.of("ready"), false);
    static final LeanAdvice SECTION_ENTER = of(Call.of("enterSection", Value.ARGUMENT_0), null, false);
    static final LeanAdvice SECTION_EXIT = of(Call.of("exitSection"), null, false);
    static final LeanAdvice PET = of(Call.of("pet"), null, false);
    /** A budgeted unit named by the woven method. */
    static final LeanAdvice BUDGETED = budgeted(Call.of("enterBudgeted", Value.SITE));
    /** An event loop's unit on the channel that encloses the woven class (a channel's unsafe). */
    static final LeanAdvice EVENT_LOOP_ENCLOSING_CHANNEL = budgeted(Call.of("enterEventLoop", Value.SITE, Value.ENCLOSING));
    /** An event loop's unit on the channel in the second argument. */
    static final LeanAdvice EVENT_LOOP_CHANNEL_ARGUMENT = budgeted(Call.of("enterEventLoop", Value.SITE, Value.ARGUMENT_1));
    /** An event loop's task, the first argument, named by its class. */
    static final LeanAdvice EVENT_LOOP_TASK = budgeted(Call.of("enterEventLoopTask", Value.SITE, Value.ARGUMENT_0));
}
