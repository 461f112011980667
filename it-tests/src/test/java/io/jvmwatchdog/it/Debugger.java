package io.jvmwatchdog.it;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A debugger attached over JDWP to a child started with {@link #JDWP_OPTION}, through JDI (module
 * {@code jdk.jdi}): what a developer's IDE does. {@link #close()} detaches ({@code dispose()}: the
 * child goes on, with every thread this debugger suspended resumed); always call it.
 */
public final class Debugger implements AutoCloseable {

    /** A JDWP server on a free loopback port; the child goes on running until a debugger acts. */
    public static final String JDWP_OPTION = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0";

    /** What the JDWP agent prints on stdout once it listens (Java 17 and 25 alike). */
    public static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    private final VirtualMachine vm;

    private Debugger(VirtualMachine vm) {
        this.vm = vm;
    }

    /** Attaches to the child's JDWP server: waits for its port on stdout, then connects. */
    public static Debugger attach(JvmProcess child, Duration timeout) {
        String port = child.awaitStdout(LISTENING, timeout).group(1);
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst()
                .orElseThrow(() -> new AssertionError("no com.sun.jdi.SocketAttach connector in this JDK"));
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(port);
        args.get("timeout").setValue(Long.toString(timeout.toMillis()));
        try {
            return new Debugger(socket.attach(args));
        } catch (IOException | IllegalConnectorArgumentsException e) {
            throw child.failure("cannot attach a debugger to 127.0.0.1:" + port + ": " + e);
        }
    }

    public VirtualMachine vm() {
        return vm;
    }

    /** The child's thread called {@code name}; polls until it exists or the deadline passes. */
    public ThreadReference thread(String name, Duration timeout, JvmProcess child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> names = new ArrayList<>();
            for (ThreadReference t : vm.allThreads()) {
                if (name.equals(t.name())) {
                    return t;
                }
                names.add(t.name());
            }
            if (System.nanoTime() - deadline > 0) {
                throw child.failure("no thread named '" + name + "' in the debuggee within " + timeout.toMillis()
                        + " ms; it has " + names);
            }
            pause();
        }
    }

    /**
     * A breakpoint at the first line of {@code className.methodName} that suspends only the thread that
     * hits it ({@code SUSPEND_EVENT_THREAD}), as an IDE's default breakpoint in a thread does. The
     * class must be loaded already.
     */
    public BreakpointRequest breakAt(String className, String methodName) {
        List<ReferenceType> types = vm.classesByName(className);
        if (types.isEmpty()) {
            throw new AssertionError("class " + className + " is not loaded in the debuggee");
        }
        List<Method> methods = types.get(0).methodsByName(methodName);
        if (methods.size() != 1) {
            throw new AssertionError("expected one method " + methodName + " in " + className + ", found " + methods);
        }
        BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(methods.get(0).location());
        bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        bp.enable();
        return bp;
    }

    /**
     * Waits for a breakpoint to be hit and returns its event; the thread that hit it stays suspended
     * (resume it with {@link BreakpointEvent#thread()}{@code .resume()}). Other events are resumed.
     */
    public BreakpointEvent awaitBreakpoint(Duration timeout, JvmProcess child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            EventSet set;
            try {
                set = vm.eventQueue().remove(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (set != null) {
                for (Event e : set) {
                    if (e instanceof BreakpointEvent) {
                        return (BreakpointEvent) e;
                    }
                }
                set.resume();
            }
            if (System.nanoTime() - deadline > 0) {
                throw child.failure("no breakpoint hit within " + timeout.toMillis() + " ms");
            }
        }
    }

    /** The declaring class and method of each frame of a suspended thread, top first. */
    public static List<String> frames(ThreadReference thread) {
        List<String> out = new ArrayList<>();
        try {
            for (StackFrame f : thread.frames()) {
                out.add(f.location().declaringType().name() + "." + f.location().method().name());
            }
        } catch (IncompatibleThreadStateException e) {
            throw new AssertionError("thread " + thread.name() + " is not suspended", e);
        }
        return out;
    }

    private static void pause() {
        try {
            Thread.sleep(20); // polling the debuggee's thread list, bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Detaches: breakpoints go, threads this debugger suspended are resumed, the debuggee runs on. */
    @Override
    public void close() {
        try {
            vm.dispose();
        } catch (VMDisconnectedException gone) {
            // the debuggee ended first: nothing left to detach from
        }
    }
}
