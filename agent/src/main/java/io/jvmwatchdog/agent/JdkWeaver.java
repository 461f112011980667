package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves the blocking-call probes ({@link BlockingProbes}) into the JDK's classes with ASM alone (the
 * copy Byte Buddy carries), without Byte Buddy's type descriptions, matchers and advice: a row is a
 * fixed JDK method whose probe is two calls into the boot runtime, and a class Byte Buddy weaves
 * costs it 10-30 ms of CPU while the JVM starts, where this costs a parse and a write of the class.
 *
 * <p>What a woven method becomes:
 * <pre>{@code
 * ThreadState s = Probes.blockBegin(SITE);      // or lockWaitBegin(SITE, interruptible, timed)
 * try { <the method's own code, each return preceded by Probes.blockEnd(s)> }
 * catch (Throwable t) { Probes.blockEnd(s); throw t; }
 * }</pre>
 * The state lives in a new local after the method's own, so every stack map frame of the method
 * gets that local (its own frames say nothing of it); the catch-all comes last in the exception
 * table, so the method's own handlers still catch first. The probes throw nothing into the
 * method: the end is plain stores, and the begin catches whatever a thread's first probe (which
 * allocates its state) may throw. A class that cannot be woven is left as it is, with one line
 * saying so.
 *
 * <p>One more method, not a blocking call: the end of a virtual thread's run ({@code
 * VirtualThread.run(Runnable)}, Java 21+), where {@code Probes.virtualThreadEnds()} lets the thread's
 * state drop the thread, before each return and in a catch-all that rethrows. It is woven here, with
 * the blocking calls, because the blocking calls make virtual threads' states: were the end woven
 * later (by Byte Buddy, a second or more into a launch or an attach), every virtual thread that ended
 * in between would stay reachable from the registry, stack and all, until the watchdog's loop began
 * (a JVM that churns virtual threads filled a 128 MB heap that way).
 */
final class JdkWeaver implements ClassFileTransformer {

    private static final String PROBES = Type.getInternalName(Probes.class);
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

    private final Instrumentation inst;
    private final Map<String, List<BlockingProbes.Probe>> byClass = new HashMap<>();
    private final Consumer<String> say;
    private final Set<String> woven;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<Module> reading = ConcurrentHashMap.newKeySet();

    private JdkWeaver(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
                      Consumer<String> say, Set<String> woven) {
        this.inst = inst;
        this.say = say;
        this.woven = woven;
        for (BlockingProbes.Probe probe : probes) {
            byClass.computeIfAbsent(probe.typeName().replace('.', '/'), t -> new ArrayList<>()).add(probe);
        }
        if (virtualThreadEnds) {
            byClass.computeIfAbsent(VIRTUAL_THREAD, t -> new ArrayList<>());
        }
    }

    /**
     * Weaves {@code probes} into their classes from now on, and into those already loaded.
     *
     * @param virtualThreadEnds whether to weave the end of a virtual thread's run too
     * @param say where the line about a class that could not be woven goes
     * @param woven where the binary name of each class woven is added (the install check reads it)
     */
    static JdkWeaver install(Instrumentation inst, List<BlockingProbes.Probe> probes, boolean virtualThreadEnds,
                             Consumer<String> say, Set<String> woven) {
        JdkWeaver weaver = new JdkWeaver(inst, probes, virtualThreadEnds, say, woven);
        inst.addTransformer(weaver, true);
        weaver.weaveLoaded();
        return weaver;
    }

    /**
     * Weaves the classes of the rows that are loaded but not woven: at install, those loaded before;
     * later ({@code Installation}, once the install ends), any that loaded where no transformer runs.
     * The JVM calls no transformer for a class loaded while a transformer runs on the same thread
     * (Byte Buddy weaving a class as the application loads it, its listener setting up logging),
     * so such a class would otherwise stay unwoven for good.
     */
    void weaveLoaded() {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : inst.getAllLoadedClasses()) {
            if (byClass.containsKey(type.getName().replace('.', '/')) && !woven.contains(type.getName())) {
                loaded.add(type);
            }
        }
        if (loaded.isEmpty()) {
            return;
        }
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

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) {
        List<BlockingProbes.Probe> rows = className == null ? null : byClass.get(className);
        if (rows == null) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            readsBootRuntime(module);
            byte[] result = weave(classFile, rows, className.equals(VIRTUAL_THREAD));
            woven.add(name);
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
        return weave(classFile, rows, false);
    }

    /**
     * @param threadEnd also mark the end of {@code run(Runnable)}, the class being {@code
     *     java.lang.VirtualThread}
     */
    static byte[] weave(byte[] classFile, List<BlockingProbes.Probe> rows, boolean threadEnd) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Integer> maxLocals = maxLocals(reader, rows);
        ClassWriter writer = new ClassWriter(reader, 0); // the methods no row names are copied as they are
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (threadEnd && name.equals(THREAD_RUN) && descriptor.equals(THREAD_RUN_DESCRIPTOR)) {
                    return new ThreadEndMethod(method);
                }
                BlockingProbes.Probe probe = rowFor(rows, access, name, descriptor);
                if (probe == null) {
                    return method;
                }
                int site = Sites.register(owner.replace('/', '.') + "." + name, probe.kind());
                return new ProbedMethod(method, access, descriptor, probe.shape(), site, maxLocals.get(name + descriptor));
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static BlockingProbes.Probe rowFor(List<BlockingProbes.Probe> rows, int access, String name, String descriptor) {
        for (BlockingProbes.Probe probe : rows) {
            if (probe.methods().matches(access, name, descriptor)) {
                return probe;
            }
        }
        return null;
    }

    /** How many locals each method to weave has: the probe's state goes in the next one. */
    private static Map<String, Integer> maxLocals(ClassReader reader, List<BlockingProbes.Probe> rows) {
        Map<String, Integer> maxLocals = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (rowFor(rows, access, name, descriptor) == null) {
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
        return maxLocals;
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

        /** The method's own frame, with the state's local after its own (the frame's locals padded with TOP up to it). */
        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
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
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
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
            Object[] locals = new Object[stateSlot + 1];
            Arrays.fill(locals, Opcodes.TOP);
            locals[stateSlot] = STATE;
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
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
}
