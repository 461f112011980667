package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.ThreadStates;
import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.base.AgentThreads;
import io.jvmwatchdog.core.jvm.LiveThreads;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import java.lang.instrument.Instrumentation;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * At runtime attach, finds the threads that are already inside an executor task and records their
 * span, which the instrumentation never saw begin: attaching to a JVM because a task seems stuck must
 * catch that very task.
 *
 * <p>It reads every platform thread's stack once, in short slices ({@link ThreadDumper#stacksOf}),
 * after the advice is woven. A pool worker's adopted job ends at its next wait for work, like
 * any other. A ForkJoin task's adopted span cannot see its end (the frame runs the old code), so it
 * lasts as long as the worker thread; that worker is then judged as in a task while idle, where
 * parking is healthy. Virtual threads in a thread-per-task executor's task are adopted the same way
 * ({@link #adoptRunningVirtualTasks}). The units it knows are the rows of {@link UnitsOfWork} that say how
 * to find them on a stack: the JDK's executors (and RMI's loop over a connection's calls, in which a
 * pool worker waits for work of its own). Methods named by {@code entry=} are not adopted: a budgeted
 * span that never ended would report an idle thread. They are watched from their next call.
 */
final class Adoption {

    /** The units attach can find on a stack ({@link UnitsOfWork.Unit#adoptable}), by their row's type. */
    private static final Map<String, UnitsOfWork.Adoptable> ADOPTABLE = adoptable();

    private Adoption() {
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

    /** @return how many threads were adopted */
    static int adoptRunningTasks(ThreadDumper dumper) {
        Map<Long, Thread> live = new HashMap<>();
        for (Thread thread : LiveThreads.platformThreads()) {
            if (thread != Thread.currentThread() && !AgentThreads.isAgentThread(thread.getId())) {
                live.put(thread.getId(), thread);
            }
        }
        int adopted = 0;
        // In slices, as a report reads stacks: one read of a big JVM's every stack stops it for seconds on Java 17.
        for (ThreadInfo info : dumper.stacksOf(live.keySet().stream().mapToLong(Long::longValue).toArray())) {
            Running running = runningUnit(info.getStackTrace());
            Thread thread = live.get(info.getThreadId());
            if (running != null && thread != null) {
                ThreadStates.adopt(thread, running.unit(), false, running.poolJob());
                adopted++;
            }
        }
        return adopted;
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
    static int adoptRunningVirtualTasks(Instrumentation inst) {
        if (Runtime.version().feature() < 21) {
            return 0;
        }
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.vm", Set.of(Adoption.class.getModule())), Map.of(), Set.of(), Map.of());
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            Method threads = container.getMethod("threads");
            Method children = container.getMethod("children");
            Deque<Object> pending = new ArrayDeque<>(List.of(containers.getMethod("root").invoke(null)));
            int adopted = 0;
            int seen = 0;
            while (!pending.isEmpty() && seen < MAX_VIRTUAL_THREADS) {
                Object c = pending.pop();
                ((Stream<?>) children.invoke(c)).forEach(pending::push);
                for (Object o : ((Stream<?>) threads.invoke(c)).toArray()) {
                    Thread thread = (Thread) o;
                    if (!ThreadStates.isVirtual(thread) || ++seen > MAX_VIRTUAL_THREADS) {
                        continue;
                    }
                    Running running = runningUnit(thread.getStackTrace());
                    if (running != null) {
                        ThreadStates.adopt(thread, running.unit(), false, false);
                        adopted++;
                    }
                }
            }
            return adopted;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLogging.logger().debug("JVM Watchdog: virtual threads already running are not adopted: {}", e.toString());
            return 0;
        }
    }

    /** How many virtual threads attach looks at, at most: a stack each. */
    static final int MAX_VIRTUAL_THREADS = 100_000;
}
