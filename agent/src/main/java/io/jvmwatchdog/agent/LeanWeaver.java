package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.UnitProbes;
import io.jvmwatchdog.core.base.AgentLogging;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.slf4j.Logger;

/**
 * The agent's one weaver: the blocking-call probes ({@link BlockingProbes}) and the units of work
 * ({@link UnitsOfWork}, whose advice is data: {@link LeanAdvice}), written into the classes with
 * ASM alone (the relocated copy Byte Buddy carries; none of Byte Buddy's own code runs). A row is a
 * fixed method whose advice is a few calls into the boot runtime, so a woven class costs a parse
 * and a write; Byte Buddy, which wove the unit rows before, cost about a second of CPU at every
 * start and 10-30 ms per class it wove early, the start of the application on a 2-core machine.
 *
 * <p>What a method with a blocking probe becomes:
 * <pre>{@code
 * ThreadState s = Probes.blockBegin(SITE);      // or lockWaitBegin(SITE, interruptible, timed)
 * try { <the method's own code, each return preceded by Probes.blockEnd(s)> }
 * catch (Throwable t) { Probes.blockEnd(s); throw t; }
 * }</pre>
 * and with a unit's advice, the same shape with the calls {@link LeanAdvice} names ({@link UnitProbes}).
 * The state lives in a new local after the method's own, so every stack map frame of the method
 * gets that local (its own frames say nothing of it); the catch-all comes last in the exception
 * table, so the method's own handlers still catch first. The probes throw nothing into the
 * method: each catches whatever a thread's first probe (which allocates its state) may throw. A
 * class that cannot be woven is left as it is, with one line saying so.
 *
 * <p>Which classes: a row's by name (one hash lookup per class load), or relocated under a prefix
 * (one {@code endsWith} per relocatable row), or, for the servlet rows, by hierarchy: a class in a
 * loader that sees the servlet API, whose constant pool holds the woven method's descriptor, and
 * whose supertypes, read from class files ({@link Supertypes}), reach {@code Servlet}.
 *
 * <p>One more method, not a blocking call: the end of a virtual thread's run ({@code
 * VirtualThread.run(Runnable)}, Java 21+), where {@code Probes.virtualThreadEnds()} lets the thread's
 * state drop the thread, before each return and in a catch-all that rethrows.
 */
final class LeanWeaver implements ClassFileTransformer {

    private static final String PROBES = Type.getInternalName(Probes.class);
    private static final String UNIT_PROBES = Type.getInternalName(UnitProbes.class);
    private static final String STATE = "io/jvmwatchdog/boot/ThreadState";
    private static final String BEGIN = "(I)L" + STATE + ";";
    private static final String LOCK_WAIT_BEGIN = "(IZZ)L" + STATE + ";";
    private static final String END = "(L" + STATE + ";)V";
    /** The class and method where a virtual thread's run ends. */
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    private static final String THREAD_RUN = "run";
    private static final String THREAD_RUN_DESCRIPTOR = "(Ljava/lang/Runnable;)V";
    /** Of {@code acquire(node, arg, shared, interruptible, timed, time)}: which arguments say interruptible and timed. */
    private static final int INTERRUPTIBLE_ARGUMENT = 3;
    private static final int TIMED_ARGUMENT = 4;
    /** An inner class's enclosing instance. */
    private static final String ENCLOSING = "this$0";

    /**
     * What the weaver does to one class.
     *
     * @param probes its blocking calls
     * @param hooks its unit rows' hooks, in the table's order (the first that names a method weaves it)
     * @param threadEnd whether it is {@code java.lang.VirtualThread}, whose run's end is marked
     */
    record Rows(List<BlockingProbes.Probe> probes, List<UnitsOfWork.Hook> hooks, boolean threadEnd) {
        Rows {
            probes = List.copyOf(probes);
            hooks = List.copyOf(hooks);
        }

        static Rows merge(Rows a, Rows b) {
            List<BlockingProbes.Probe> p = new ArrayList<>(a.probes);
            p.addAll(b.probes);
            List<UnitsOfWork.Hook> h = new ArrayList<>(a.hooks);
            h.addAll(b.hooks);
            return new Rows(p, h, a.threadEnd || b.threadEnd);
        }
    }

    private final Instrumentation inst;
    private final Map<String, Rows> byClass = new HashMap<>();
    /**
     * Rows that also weave their class relocated under a prefix (a shaded copy of Netty), by "/"
     * and the class's internal name: one {@code endsWith} each per class load that no name matched.
     * Arrays, so that a lookup loads no class while the JVM loads one (a collection's iterator
     * class, loaded inside the transformer, would be a circular load).
     */
    private final String[] suffixes;
    private final Rows[] suffixRows;
    /** Rows matched by a supertype (every servlet): see {@link #bySupertype}. */
    private final Hierarchy[] hierarchies;

    /**
     * A row that weaves every class that extends or implements a type and declares the method it
     * weaves, in the loaders that see the type.
     *
     * @param marker the method's descriptor, which such a class has in its constant pool
     */
    private record Hierarchy(Supertypes supertypes, byte[] marker, LoaderSees loaders, Rows rows) {
    }
    private final Consumer<String> say;
    private final Set<String> woven;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<Module> reading = ConcurrentHashMap.newKeySet();

    /** Weaves nothing until {@link #install}ed: as built, it answers which classes it would weave. */
    LeanWeaver(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
                       List<UnitsOfWork.Unit> units, boolean workersMayPredateInstall,
                       Consumer<String> say, Set<String> woven) {
        this.inst = inst;
        this.say = say;
        this.woven = woven;
        for (BlockingProbes.Probe probe : probes) {
            byClass.merge(probe.typeName().replace('.', '/'), new Rows(List.of(probe), List.of(), false), Rows::merge);
        }
        if (virtualThreadEnds) {
            byClass.merge(VIRTUAL_THREAD, new Rows(List.of(), List.of(), true), Rows::merge);
        }
        Map<String, Rows> bySuffix = new LinkedHashMap<>();
        List<Hierarchy> byHierarchy = new ArrayList<>();
        for (UnitsOfWork.Unit unit : units) {
            String internal = unit.typeName().replace('.', '/');
            Rows rows = new Rows(List.of(), unit.woven(workersMayPredateInstall), false);
            if (unit.match() == UnitsOfWork.Match.SUBTYPES) {
                byHierarchy.add(new Hierarchy(new Supertypes(unit.typeName()),
                        unit.declaredMethodDescriptor().getBytes(StandardCharsets.UTF_8), new LoaderSees(internal + ".class"), rows));
                continue;
            }
            byClass.merge(internal, rows, Rows::merge);
            if (unit.match() == UnitsOfWork.Match.BY_NAME_OR_RELOCATED) {
                bySuffix.merge("/" + internal, rows, Rows::merge);
            }
        }
        suffixes = bySuffix.keySet().toArray(new String[0]);
        suffixRows = bySuffix.values().toArray(new Rows[0]);
        hierarchies = byHierarchy.toArray(new Hierarchy[0]);
    }

    /**
     * Weaves {@code probes} and the unit rows into their classes from now on, and into those already
     * loaded.
     *
     * @param virtualThreadEnds whether to weave the end of a virtual thread's run too
     * @param units the unit rows
     * @param workersMayPredateInstall whether pool workers may already be waiting for work in old
     *     code (attach, a background install): late-only hooks are woven only then
     * @param say where the line about a class that could not be woven goes
     * @param woven where the binary name of each class woven is added (the install check reads it)
     */
    static LeanWeaver install(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
                              List<UnitsOfWork.Unit> units, boolean workersMayPredateInstall,
                              Consumer<String> say, Set<String> woven) {
        LeanWeaver weaver = new LeanWeaver(inst, probes, virtualThreadEnds, units, workersMayPredateInstall, say, woven);
        inst.addTransformer(weaver, true);
        weaver.weaveLoaded();
        return weaver;
    }

    /**
     * What the weaver does to a class that loads (or, {@code loaded}, is retransformed), or null:
     * nothing, as for nearly every class (one hash lookup).
     */
    Rows rowsFor(ClassLoader loader, String internalName, Class<?> loaded, byte[] classFile) {
        if (internalName == null) {
            return null; // a hidden class: no row names one
        }
        Rows rows = rowsOf(internalName);
        return rows != null ? rows : bySupertype(loader, loaded, classFile);
    }

    /** Whether a loaded class is a subtype that a hierarchy row weaves (its method is checked as it is woven). */
    private boolean extendsAHierarchyRowsType(Class<?> type) {
        for (Hierarchy h : hierarchies) {
            if (!type.isInterface() && h.loaders().matches(type.getClassLoader()) && h.supertypes().reachFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /** The rows of the class with this internal name, or null. */
    private Rows rowsOf(String internalName) {
        Rows rows = byClass.get(internalName);
        if (rows != null) {
            return rows;
        }
        for (int i = 0; i < suffixes.length; i++) {
            if (internalName.endsWith(suffixes[i])) {
                return suffixRows[i];
            }
        }
        return null;
    }

    /**
     * Weaves the classes of the rows that are loaded but not woven: at install, those loaded before;
     * later ({@code Installation}, once the install ends), any that loaded where no transformer runs.
     * The JVM calls no transformer for a class loaded while a transformer runs on the same thread, so
     * such a class would otherwise stay unwoven for good: the weaving's own first run loads classes
     * (a lock, a map's inner class), among them a row's ({@code AbstractQueuedSynchronizer}, once,
     * and then every lock wait went unseen). So each call looks again after it wove, until a look
     * finds nothing new, a few rounds at most; a class that failed is not tried again in the call.
     */
    void weaveLoaded() {
        Set<String> tried = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> type : inst.getAllLoadedClasses()) {
                if ((rowsOf(type.getName().replace('.', '/')) != null || extendsAHierarchyRowsType(type))
                        && !woven.contains(type.getName()) && tried.add(type.getName())) {
                    loaded.add(type);
                }
            }
            if (loaded.isEmpty()) {
                return;
            }
            retransform(loaded);
        }
    }

    /** How many looks at the loaded classes one {@link #weaveLoaded} makes at most. */
    private static final int MAX_ROUNDS = 4;

    private void retransform(List<Class<?>> loaded) {
        try {
            // All at once: each retransformation is a stop of the world that throws away compiled code.
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            for (Class<?> type : loaded) { // one at a time: a class that fails leaves the others woven
                try {
                    inst.retransformClasses(type);
                } catch (Throwable e) {
                    cannotWeave(type.getName(), e);
                }
            }
        }
    }

    /**
     * The rows of a hierarchy row that weave this class: it declares the row's method (its bytes
     * hold the method's descriptor: one walk over the constant pool, in the loaders that see the
     * row's type only), and it extends or implements the type ({@link Supertypes}, read only for
     * the few classes that pass the first two tests).
     */
    private Rows bySupertype(ClassLoader loader, Class<?> loaded, byte[] classFile) {
        for (Hierarchy h : hierarchies) {
            if (h.loaders().matches(loader) && ClassHeader.hasUtf8(classFile, h.marker())
                    && (loaded != null ? h.supertypes().reachFrom(loaded) : h.supertypes().reachFrom(loader, classFile))) {
                return h.rows();
            }
        }
        return null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) {
        Rows rows = rowsFor(loader, className, classBeingRedefined, classFile);
        if (rows == null) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            readsBootRuntime(module);
            byte[] result = weave(classFile, rows);
            woven.add(name);
            // What is woven before logging exists (before main: the JDK's classes) is said when it
            // is set up (Installation).
            Logger logger = AgentLogging.loggerIfCreated();
            if (logger != null && logger.isDebugEnabled()) {
                logger.debug("JVM Watchdog: instrumented {}", name);
            }
            return result;
        } catch (Throwable t) {
            cannotWeave(name, t);
            return null;
        }
    }

    private void cannotWeave(String className, Throwable t) {
        if (reported.add(className)) {
            say.accept("JVM Watchdog: could not instrument " + className + " (it stays unwatched): " + t);
        }
    }

    /** The woven code calls the boot runtime, in the boot loader's unnamed module, which a named module does not read. */
    private void readsBootRuntime(Module module) {
        Module runtime = Probes.class.getModule();
        if (module != null && module.isNamed() && reading.add(module) && !module.canRead(runtime)) {
            inst.redefineModule(module, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** The class file with {@code rows}' probes in every method they name. */
    static byte[] weave(byte[] classFile, List<BlockingProbes.Probe> rows) {
        return weave(classFile, new Rows(rows, List.of(), false));
    }

    /** The class file with the probes, hooks and thread end of {@code rows} woven in. */
    static byte[] weave(byte[] classFile, Rows rows) {
        ClassReader reader = new ClassReader(classFile);
        Shape shape = Shape.of(reader, rows);
        ClassWriter writer = new ClassWriter(reader, 0); // the methods no row names are copied as they are
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                frames = (version & 0xFFFF) >= Opcodes.V1_6; // older class files have no stack map frames
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (rows.threadEnd() && name.equals(THREAD_RUN) && descriptor.equals(THREAD_RUN_DESCRIPTOR)) {
                    return new ThreadEndMethod(method);
                }
                BlockingProbes.Probe probe = probeFor(rows, access, name, descriptor);
                if (probe != null) {
                    int site = Sites.register(owner.replace('/', '.') + "." + name, probe.kind());
                    return new ProbedMethod(method, access, descriptor, probe.shape(), site, shape.maxLocals(name, descriptor));
                }
                UnitsOfWork.Hook hook = hookFor(rows, access, name, descriptor);
                if (hook != null) {
                    return new AdvisedMethod(method, access, descriptor, owner, name, hook.advice(), shape,
                            shape.maxLocals(name, descriptor), frames);
                }
                return method;
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static BlockingProbes.Probe probeFor(Rows rows, int access, String name, String descriptor) {
        for (BlockingProbes.Probe probe : rows.probes()) {
            if (probe.methods().matches(access, name, descriptor)) {
                return probe;
            }
        }
        return null;
    }

    private static UnitsOfWork.Hook hookFor(Rows rows, int access, String name, String descriptor) {
        for (UnitsOfWork.Hook hook : rows.hooks()) {
            if (hook.which().matches(access, name, descriptor)) {
                return hook;
            }
        }
        return null;
    }

    /**
     * What the weaving needs to know of the class before it writes a method: how many locals each
     * method to weave has (a probe's state goes in the next one), and the type of the enclosing
     * instance's field, if it has one.
     */
    private record Shape(Map<String, Integer> maxLocals, String enclosingDescriptor) {
        static Shape of(ClassReader reader, Rows rows) {
            Map<String, Integer> maxLocals = new HashMap<>();
            String[] enclosing = new String[1];
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    if (name.equals(ENCLOSING) && (access & Opcodes.ACC_STATIC) == 0) {
                        enclosing[0] = descriptor;
                    }
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    if (probeFor(rows, access, name, descriptor) == null && hookFor(rows, access, name, descriptor) == null) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMaxs(int maxStack, int locals) {
                            maxLocals.put(name + descriptor, locals);
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new Shape(maxLocals, enclosing[0]);
        }

        int maxLocals(String name, String descriptor) {
            return maxLocals.get(name + descriptor);
        }
    }

    /** One woven method: see the class comment. Reads expanded frames ({@link ClassReader#EXPAND_FRAMES}). */
    private static final class ProbedMethod extends MethodVisitor {
        private final boolean isStatic;
        private final String descriptor;
        private final BlockingProbes.Shape shape;
        private final int site;
        /** The state's local: the first after the method's own. */
        private final int stateSlot;
        private final Label tryStart = new Label();
        private final Label handler = new Label();

        ProbedMethod(MethodVisitor method, int access, String descriptor, BlockingProbes.Shape shape, int site,
                     int maxLocals) {
            super(Opcodes.ASM9, method);
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.descriptor = descriptor;
            this.shape = shape;
            this.site = site;
            this.stateSlot = maxLocals;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitLdcInsn(site);
            if (shape == BlockingProbes.Shape.LOCK_ACQUIRE) {
                super.visitVarInsn(Opcodes.ILOAD, argumentSlot(INTERRUPTIBLE_ARGUMENT));
                super.visitVarInsn(Opcodes.ILOAD, argumentSlot(TIMED_ARGUMENT));
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "lockWaitBegin", LOCK_WAIT_BEGIN, false);
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "blockBegin", BEGIN, false);
            }
            super.visitVarInsn(Opcodes.ASTORE, stateSlot);
            super.visitLabel(tryStart);
        }

        private int argumentSlot(int argument) {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            if (arguments.length <= argument || arguments[argument].getSort() != Type.BOOLEAN) {
                throw new IllegalStateException("argument " + argument + " of " + descriptor + " is no boolean");
            }
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < argument; i++) {
                slot += arguments[i].getSize();
            }
            return slot;
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            frameWithState(mv, numLocal, local, numStack, stack, stateSlot);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                end();
            }
            super.visitInsn(opcode);
        }

        private void end() {
            super.visitVarInsn(Opcodes.ALOAD, stateSlot);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "blockEnd", END, false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(handler);
            handlerFrame(mv, stateSlot);
            end();
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, handler, handler, null);
            super.visitMaxs(Math.max(maxStack + 1, 3), stateSlot + 1);
        }
    }

    /**
     * {@code VirtualThread.run(Runnable)}: {@code Probes.virtualThreadEnds()} before each return and
     * in a catch-all, last in the exception table, that rethrows. No local is added, so the method's
     * own frames stand as they are; the handler's frame claims no local at all.
     */
    private static final class ThreadEndMethod extends MethodVisitor {
        private final Label tryStart = new Label();
        private final Label handler = new Label();

        ThreadEndMethod(MethodVisitor method) {
            super(Opcodes.ASM9, method);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitLabel(tryStart);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                ends();
            }
            super.visitInsn(opcode);
        }

        private void ends() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "virtualThreadEnds", "()V", false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
            ends();
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, handler, handler, null);
            super.visitMaxs(Math.max(maxStack, 1), maxLocals);
        }
    }

    /** A method's own frame, with the state's local after its own (the frame's locals padded with TOP up to it). */
    private static void frameWithState(MethodVisitor method, int numLocal, Object[] local, int numStack, Object[] stack,
                                       int stateSlot) {
        List<Object> locals = new ArrayList<>(numLocal + 1);
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < stateSlot; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(STATE);
        method.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
    }

    /** The catch-all's frame: only the state's local, if there is one (-1: none), and the exception. */
    private static void handlerFrame(MethodVisitor method, int stateSlot) {
        Object[] locals = new Object[stateSlot + 1];
        Arrays.fill(locals, Opcodes.TOP);
        if (stateSlot >= 0) {
            locals[stateSlot] = STATE;
        }
        method.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
    }

    /**
     * A method with a unit's lean advice ({@link LeanAdvice}): its enter call first; its exit call
     * before each return (the returned reference first, where the call reads it); where the unit
     * must end however the method ends, the exit call also in a catch-all, last in the exception
     * table, that rethrows. Only the state the enter returns, when the exit reads it, takes a local
     * (after the method's own, as a probe's does), and only then does every frame get it. What the
     * calls read is checked as the method is met: a value the method does not have (no {@code
     * this$0}, a primitive argument) fails the class's weave, which says so.
     */
    private static final class AdvisedMethod extends MethodVisitor {
        private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";

        private final LeanAdvice advice;
        private final boolean isStatic;
        private final Type[] arguments;
        private final String owner;
        private final String siteName;
        private final String enclosingDescriptor;
        /** The state's local, or -1 when none is kept. */
        private final int stateSlot;
        private final boolean frames;
        private final boolean catchAll;
        private final Label tryStart = new Label();
        private final Label handler = new Label();

        AdvisedMethod(MethodVisitor method, int access, String descriptor, String owner, String name, LeanAdvice advice,
                      Shape shape, int maxLocals, boolean frames) {
            super(Opcodes.ASM9, method);
            this.advice = advice;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.arguments = Type.getArgumentTypes(descriptor);
            this.owner = owner;
            this.siteName = owner.replace('/', '.') + "." + name;
            this.enclosingDescriptor = shape.enclosingDescriptor();
            this.stateSlot = advice.keepsState() ? maxLocals : -1;
            this.frames = frames;
            this.catchAll = advice.exit() != null && advice.exitOnThrow();
            if (advice.request() != null && !reference(advice.request().argument())) {
                throw new IllegalStateException(siteName + " has no request in argument " + advice.request().argument());
            }
            for (LeanAdvice.Call call : new LeanAdvice.Call[] {advice.enter(), advice.exit()}) {
                if (call != null) {
                    for (LeanAdvice.Value value : call.values()) {
                        check(value, Type.getReturnType(descriptor));
                    }
                }
            }
        }

        private void check(LeanAdvice.Value value, Type returned) {
            boolean ok = switch (value) {
                case THIS -> !isStatic;
                case ENCLOSING -> !isStatic && enclosingDescriptor != null;
                case ARGUMENT_0, ARGUMENT_1 -> reference(argumentIndex(value));
                case RETURNED -> returned.getSort() == Type.OBJECT || returned.getSort() == Type.ARRAY;
                case SITE, UNIT, FORK_JOIN_POOL, STATE -> true;
            };
            if (!ok) {
                throw new IllegalStateException(siteName + " has no " + value + " for its advice");
            }
        }

        private static int argumentIndex(LeanAdvice.Value value) {
            return value == LeanAdvice.Value.ARGUMENT_0 ? 0 : 1;
        }

        private boolean reference(int argument) {
            return argument < arguments.length
                    && (arguments[argument].getSort() == Type.OBJECT || arguments[argument].getSort() == Type.ARRAY);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (advice.request() != null) {
                enterRequest(advice.request());
                super.visitVarInsn(Opcodes.ASTORE, stateSlot);
            } else if (advice.enter() != null) {
                Type result = call(advice.enter());
                if (stateSlot >= 0) {
                    super.visitVarInsn(Opcodes.ASTORE, stateSlot);
                } else if (result.getSort() != Type.VOID) {
                    super.visitInsn(Opcodes.POP);
                }
            }
            if (catchAll) {
                super.visitLabel(tryStart);
            }
        }

        /**
         * A request unit's enter: the request's method and path, read only when the name will be
         * kept and inside a handler of their own (any failure leaves the request unnamed), then
         * {@code UnitProbes.enterRequest}, whose state is left on the stack. The two names live in
         * the two locals after the state's, dead once the unit is entered.
         */
        private void enterRequest(LeanAdvice.RequestName request) {
            int method = stateSlot + 1;
            int path = stateSlot + 2;
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label unreadable = new Label();
            Label named = new Label();
            super.visitTryCatchBlock(tryStart, tryEnd, unreadable, "java/lang/Throwable");
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitVarInsn(Opcodes.ASTORE, method);
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitVarInsn(Opcodes.ASTORE, path);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, UNIT_PROBES, "wantsRequestName", "()Z", false);
            super.visitJumpInsn(Opcodes.IFEQ, named);
            super.visitLabel(tryStart);
            int slot = argumentSlot(request.argument());
            if (request.checked()) {
                super.visitVarInsn(Opcodes.ALOAD, slot);
                super.visitTypeInsn(Opcodes.INSTANCEOF, request.type());
                super.visitJumpInsn(Opcodes.IFEQ, named);
            }
            readName(slot, request.type(), request.method(), method);
            readName(slot, request.type(), request.path(), path);
            super.visitLabel(tryEnd);
            super.visitJumpInsn(Opcodes.GOTO, named);
            super.visitLabel(unreadable);
            entryFrame(new Object[] {"java/lang/Throwable"});
            super.visitInsn(Opcodes.POP); // unnamed, still a unit
            super.visitLabel(named);
            entryFrame(new Object[0]);
            push(LeanAdvice.Value.SITE);
            super.visitVarInsn(Opcodes.ALOAD, method);
            super.visitVarInsn(Opcodes.ALOAD, path);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, UNIT_PROBES, "enterRequest",
                    "(ILjava/lang/String;Ljava/lang/String;)L" + STATE + ";", false);
        }

        private void readName(int requestSlot, String requestType, List<LeanAdvice.Invoke> calls, int into) {
            if (calls.isEmpty()) {
                return; // a name the server does not give: left null
            }
            super.visitVarInsn(Opcodes.ALOAD, requestSlot);
            super.visitTypeInsn(Opcodes.CHECKCAST, requestType);
            for (LeanAdvice.Invoke call : calls) {
                super.visitMethodInsn(call.onInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL,
                        call.owner(), call.name(), call.descriptor(), call.onInterface());
            }
            super.visitVarInsn(Opcodes.ASTORE, into);
        }

        /**
         * A frame in the enter's code: the method's arguments (and {@code this}), nothing in the
         * locals after them up to the state's, the state not yet set, and the two names.
         */
        private void entryFrame(Object[] stack) {
            if (!frames) {
                return;
            }
            List<Object> locals = new ArrayList<>();
            int slots = 0;
            if (!isStatic) {
                locals.add(owner);
                slots++;
            }
            for (Type argument : arguments) {
                locals.add(frameType(argument));
                slots += argument.getSize();
            }
            for (; slots <= stateSlot; slots++) {
                locals.add(Opcodes.TOP); // the state's own slot included
            }
            locals.add("java/lang/String");
            locals.add("java/lang/String");
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
        }

        private static Object frameType(Type type) {
            return switch (type.getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
                case Type.FLOAT -> Opcodes.FLOAT;
                case Type.LONG -> Opcodes.LONG;
                case Type.DOUBLE -> Opcodes.DOUBLE;
                case Type.ARRAY -> type.getDescriptor();
                default -> type.getInternalName();
            };
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (stateSlot >= 0) {
                frameWithState(mv, numLocal, local, numStack, stack, stateSlot);
            } else {
                super.visitFrame(type, numLocal, local, numStack, stack);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && advice.exit() != null) {
                if (advice.exit().reads(LeanAdvice.Value.RETURNED)) {
                    super.visitInsn(Opcodes.DUP); // only an ARETURN: checked for the method's return type
                }
                exit();
            }
            super.visitInsn(opcode);
        }

        private void exit() {
            if (call(advice.exit()).getSort() != Type.VOID) {
                super.visitInsn(Opcodes.POP);
            }
        }

        /** Pushes the call's values (the returned one is on the stack already) and calls; its return type. */
        private Type call(LeanAdvice.Call call) {
            for (LeanAdvice.Value value : call.values()) {
                push(value);
            }
            String descriptor = call.descriptor();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, UNIT_PROBES, call.method(), descriptor, false);
            return Type.getReturnType(descriptor);
        }

        private void push(LeanAdvice.Value value) {
            switch (value) {
                case SITE -> super.visitLdcInsn(Sites.register(siteName, Blocking.NONE));
                case UNIT -> super.visitLdcInsn(Sites.register(advice.unitName(), Blocking.NONE));
                case THIS -> super.visitVarInsn(Opcodes.ALOAD, 0);
                case ARGUMENT_0, ARGUMENT_1 -> super.visitVarInsn(Opcodes.ALOAD, argumentSlot(argumentIndex(value)));
                case ENCLOSING -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, ENCLOSING, enclosingDescriptor);
                }
                case FORK_JOIN_POOL -> super.visitMethodInsn(Opcodes.INVOKESTATIC, FORK_JOIN_TASK, "getPool",
                        "()Ljava/util/concurrent/ForkJoinPool;", false);
                case STATE -> super.visitVarInsn(Opcodes.ALOAD, stateSlot);
                case RETURNED -> {
                    // on the stack already (DUP before the return)
                }
            }
        }

        private int argumentSlot(int argument) {
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < argument; i++) {
                slot += arguments[i].getSize();
            }
            return slot;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (catchAll) {
                super.visitLabel(handler);
                if (frames) {
                    handlerFrame(mv, stateSlot);
                }
                exit();
                super.visitInsn(Opcodes.ATHROW);
                super.visitTryCatchBlock(tryStart, handler, handler, null);
            }
            // Room for a call's values on top of what the method stacks (the returned value's copy included).
            int locals = advice.request() != null ? stateSlot + 3 : stateSlot + 1; // the request's two names
            super.visitMaxs(maxStack + 6, Math.max(maxLocals, locals));
        }
    }
}
