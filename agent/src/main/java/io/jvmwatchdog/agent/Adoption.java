package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.jvm.LiveThreads;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import io.jvmwatchdog.core.model.WaitKind;
import java.lang.instrument.Instrumentation;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * When the instrumentation becomes active after code has run (a background install, or attach),
 * finds what each thread is already doing that the woven code never saw begin, from one look at its
 * stack, and records it: a hang that began in that window must be caught too.
 *
 * <p>It reads every platform thread's stack once, in short slices ({@link ThreadDumper#stacksOf}),
 * after the advice is woven, and finds:
 * <ul>
 *   <li>an executor task or pool job ({@link #runningUnit}, the rows that say how to find them on a
 *       stack: the JDK's executors, and RMI's loop over a connection's calls, in which a pool worker
 *       waits for work of its own). A pool worker's adopted job ends at its next wait for work, like
 *       any other. A ForkJoin task's adopted span cannot see its end (the frame runs the old code),
 *       so it lasts as long as the worker thread; that worker is then judged as in a task while idle,
 *       where parking is healthy;</li>
 *   <li>a budgeted unit: a server request or an {@code entry=} method (the outermost frame of a row
 *       whose first hook enters one);</li>
 *   <li>a blocking call (the outermost frame of a {@link BlockingProbes} row): a lock wait or a
 *       socket read that began before the install is judged like one that began after.</li>
 * </ul>
 * A budgeted unit or a blocking call found this way lasts until the thread's first probe: its end
 * runs in code that was not woven, so it would never be seen; a probe means the thread moved on
 * (see {@code ThreadStates.claim}). A hung thread makes no probe, and stays watched. Virtual threads
 * are adopted the same way ({@link #adoptVirtualThreads}).
 */
final class Adoption {

    /** The units attach can find on a stack ({@link UnitsOfWork.Unit#adoptable}), by their row's type. */
    private static final Map<String, UnitsOfWork.Adoptable> ADOPTABLE = adoptable();

    private final List<UnitsOfWork.Unit> budgetedRows = new ArrayList<>();
    private final Set<String> woven;
    /**
     * The threads the woven code knew when this was made (after weaving): never adopted, their
     * stacks never read; in a JVM whose crowd all began in woven code that is every thread.
     */
    private final ThreadStates.Registered seen = ThreadStates.registeredNow();
    /** The threads adopted, each into a unit (true) or a blocking call alone (false): for {@link #settle}'s count. */
    private final Map<Long, Boolean> adopted = new HashMap<>();
    /** The blocking rows' methods on this JDK, by class then method name: a frame is looked up without a string made. */
    private final Map<String, Map<String, BlockingProbes.Probe>> blockingMethods = new HashMap<>();

    /**
     * @param units the rows woven (the table's and those the options name)
     * @param woven the names of the classes woven so far: a servlet's frame is known by its class
     */
    Adoption(List<UnitsOfWork.Unit> units, List<BlockingProbes.Probe> probes, Set<String> woven) {
        this.woven = woven;
        for (UnitsOfWork.Unit unit : units) {
            if (unit.hooks().get(0).entersBudgetedUnit()) {
                budgetedRows.add(unit);
            }
        }
        for (BlockingProbes.Probe probe : probes) {
            try {
                Class<?> type = Class.forName(probe.typeName(), false, null);
                for (String method : probe.methodsOf(type)) {
                    blockingMethods.computeIfAbsent(probe.typeName(), t -> new HashMap<>()).put(method, probe);
                }
            } catch (ClassNotFoundException | LinkageError | RuntimeException notOnThisJdk) {
                // the row matches nothing here
            }
        }
    }

    private static Map<String, UnitsOfWork.Adoptable> adoptable() {
        Map<String, UnitsOfWork.Adoptable> byType = new HashMap<>();
        for (UnitsOfWork.Unit unit : UnitsOfWork.TABLE) {
            if (unit.adoptable() != null) {
                byType.put(unit.typeName(), unit.adoptable());
            }
        }
        return Map.copyOf(byType);
    }

    /** A unit a thread is running: its entry ({@code Class.method}) and whether it is a pool worker's job. */
    record Running(String unit, boolean poolJob) {
    }

    /**
     * What one stack shows in progress.
     *
     * @param unit the unit's entry ({@code Class.method}), or null
     * @param blockingSite the {@link Sites} number of the blocking call, or {@link Sites#NONE}
     */
    record InProgress(String unit, boolean budgeted, boolean poolJob, int blockingSite) {
    }

    /** How many threads were adopted: in a unit (and maybe a blocking call), or in a blocking call only. */
    static final class Count {
        int units;
        int blockingCallsOnly;

        Count add(Count other) {
            units += other.units;
            blockingCallsOnly += other.blockingCallsOnly;
            return this;
        }

        @Override
        public String toString() {
            return units + " task(s) already running are watched"
                    + (blockingCallsOnly == 0 ? "" : ", and " + blockingCallsOnly + " thread(s) already in a blocking call");
        }
    }

    /** @param only the ids of the threads to look at, or null for every live platform thread */
    Count adoptPlatformThreads(ThreadDumper dumper, long[] only) {
        Set<Long> among = null;
        if (only != null) {
            among = new HashSet<>();
            for (long id : only) {
                among.add(id);
            }
        }
        Map<Long, Thread> live = new HashMap<>();
        for (Thread thread : LiveThreads.platformThreads()) {
            if (thread != Thread.currentThread() && !AgentThreads.isAgentThread(thread.getId()) && !seen.contains(thread)
                    && (among == null || among.contains(thread.getId()))) {
                live.put(thread.getId(), thread);
            }
        }
        Count count = new Count();
        // In slices, as a report reads stacks: one read of a big JVM's every stack stops it for seconds on Java 17.
        for (ThreadInfo info : dumper.stacksOf(live.keySet().stream().mapToLong(Long::longValue).toArray())) {
            Thread thread = live.get(info.getThreadId());
            if (thread != null) {
                adopt(thread, info.getStackTrace(), count);
            }
        }
        return count;
    }

    /**
     * Adopts what the stack shows. A blocking call outside any unit is adopted only if it is
     * uninterruptible (a lock wait is judged there); an interruptible one is healthy anyway.
     */
    private void adopt(Thread thread, StackTraceElement[] stack, Count count) {
        InProgress found = inProgress(stack);
        // Counted only when adopted: a thread the woven code saw begin its unit is watched already.
        if (found.unit() != null) {
            if (ThreadStates.adopt(seen, thread, found.unit(), found.budgeted(), found.poolJob(), found.blockingSite())) {
                count.units++;
                adopted.put(thread.getId(), true);
            }
        } else if (found.blockingSite() != Sites.NONE && !WaitKind.of(Sites.kind(found.blockingSite())).interruptible()) {
            if (ThreadStates.adopt(seen, thread, null, false, false, found.blockingSite())) {
                count.blockingCallsOnly++;
                adopted.put(thread.getId(), false);
            }
        }
    }

    /** What {@code stack} (innermost frame first) shows in progress. */
    InProgress inProgress(StackTraceElement[] stack) {
        String budgeted = null;
        for (int i = stack.length - 1; i >= 0 && budgeted == null; i--) { // the outermost names it
            if (entersBudgetedUnit(stack[i])) {
                budgeted = stack[i].getClassName() + "." + stack[i].getMethodName();
            }
        }
        Running task = budgeted == null ? runningUnit(stack) : null;
        int blocking = Sites.NONE;
        for (int i = stack.length - 1; i >= 0 && blocking == Sites.NONE; i--) { // only the outermost counts
            Map<String, BlockingProbes.Probe> methods = blockingMethods.get(stack[i].getClassName());
            BlockingProbes.Probe probe = methods == null ? null : methods.get(stack[i].getMethodName());
            if (probe != null && !(probe.shape() == BlockingProbes.Shape.LOCK_ACQUIRE && interruptibleAcquire(stack, i))) {
                blocking = Sites.register(stack[i].getClassName() + "." + stack[i].getMethodName(), probe.kind());
            }
        }
        if (budgeted != null) {
            return new InProgress(budgeted, true, false, blocking);
        }
        return new InProgress(task == null ? null : task.unit(), false, task != null && task.poolJob(), blocking);
    }

    private boolean entersBudgetedUnit(StackTraceElement frame) {
        String cls = frame.getClassName();
        String method = frame.getMethodName();
        for (UnitsOfWork.Unit unit : budgetedRows) {
            boolean type = switch (unit.match()) {
                case BY_NAME -> cls.equals(unit.typeName());
                case BY_NAME_OR_RELOCATED -> cls.equals(unit.typeName()) || cls.endsWith("." + unit.typeName());
                case SUBTYPES -> woven.contains(cls); // a servlet class: woven, for the row's method
            };
            if (type && unit.hooks().get(0).weaves(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the AQS acquisition at {@code stack[i]} is interruptible or timed, which the advice
     * reads from its arguments: from a stack, its caller tells ({@code acquireInterruptibly}, {@code
     * tryAcquireNanos}, and their shared forms).
     */
    private static boolean interruptibleAcquire(StackTraceElement[] stack, int i) {
        if (i + 1 >= stack.length) {
            return false;
        }
        String caller = stack[i + 1].getMethodName();
        return caller.endsWith("Interruptibly") || caller.endsWith("Nanos");
    }

    /**
     * The unit the stack is running, innermost first, or null: no unit attach adopts, or a pool
     * worker waiting for its next job.
     */
    static Running runningUnit(StackTraceElement[] stack) {
        boolean waitingForWork = false; // a wait for work is on the stack: the worker runs no job then
        for (StackTraceElement f : stack) {
            String cls = f.getClassName();
            UnitsOfWork.Adoptable unit = ADOPTABLE.get(cls);
            if (unit == null) {
                continue;
            }
            String method = f.getMethodName();
            if (method.equals(unit.waitMethod())) {
                waitingForWork = true;
            } else if (method.equals(unit.unitMethod())) {
                return waitingForWork ? null : new Running(cls + "." + method, unit.poolJob());
            }
        }
        return null;
    }

    /**
     * The same for virtual threads (Java 21+), which no public API lists: the JDK's own thread dump
     * walks its thread containers ({@code jdk.internal.vm.ThreadContainers}), and so does this, once
     * the agent has had that package exported to it. Each virtual thread's stack is read on this agent
     * thread (an unmounted one's is a copy; a mounted one's, a handshake with its carrier only): no
     * safepoint, but time in proportion to the crowd, so it stops after {@link #MAX_VIRTUAL_THREADS}.
     *
     * @return how many virtual threads were adopted; 0 on Java 17, or when the containers cannot be read
     */
    Count adoptVirtualThreads(Instrumentation inst) {
        Count count = new Count();
        if (Runtime.version().feature() < 21) {
            return count;
        }
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.vm", Set.of(Adoption.class.getModule())), Map.of(), Set.of(), Map.of());
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            Method threads = container.getMethod("threads");
            Method children = container.getMethod("children");
            Deque<Object> pending = new ArrayDeque<>(List.of(containers.getMethod("root").invoke(null)));
            int looked = 0;
            while (!pending.isEmpty() && looked < MAX_VIRTUAL_THREADS) {
                Object c = pending.pop();
                ((Stream<?>) children.invoke(c)).forEach(pending::push);
                for (Object o : ((Stream<?>) threads.invoke(c)).toArray()) {
                    Thread thread = (Thread) o;
                    if (!ThreadStates.isVirtual(thread) || this.seen.contains(thread) || ++looked > MAX_VIRTUAL_THREADS) {
                        continue;
                    }
                    adopt(thread, thread.getStackTrace(), count);
                }
            }
            return count;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLogging.logger().debug("JVM Watchdog: virtual threads already running are not adopted: {}", e.toString());
            return count;
        }
    }

    /**
     * Ends the round, after both kinds of thread were adopted: a thread that registered on its own
     * meanwhile keeps its own state ({@link ThreadStates#settleAdoptions}) and leaves {@code count}.
     */
    void settle(Count count) {
        for (long id : ThreadStates.settleAdoptions(seen)) {
            if (Boolean.TRUE.equals(adopted.get(id))) {
                count.units--;
            } else if (Boolean.FALSE.equals(adopted.get(id))) {
                count.blockingCallsOnly--;
            }
        }
    }

    /** How many virtual threads attach looks at, at most: a stack each. */
    static final int MAX_VIRTUAL_THREADS = 100_000;
}
