package io.jvmwatchdog.agent;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Probes;
import io.jvmwatchdog.boot.Sites;
import io.jvmwatchdog.boot.UnitProbes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * How {@link LeanWeaver} rewrites one method: a blocking call's ({@link ProbedMethod}), a unit's
 * ({@link AdvisedMethod}), a virtual thread's end ({@link ThreadEndMethod}). Each reads expanded
 * frames and adds its state's local after the method's own (see {@link LeanWeaver} for the shape).
 */
final class WovenMethods {

    static final String PROBES = Type.getInternalName(Probes.class);
    static final String UNIT_PROBES = Type.getInternalName(UnitProbes.class);
    static final String STATE = "io/jvmwatchdog/boot/ThreadState";
    private static final String BEGIN = "(I)L" + STATE + ";";
    private static final String LOCK_WAIT_BEGIN = "(IZZ)L" + STATE + ";";
    private static final String END = "(L" + STATE + ";)V";
    /** Of {@code acquire(node, arg, shared, interruptible, timed, time)}: which arguments say interruptible and timed. */
    private static final int INTERRUPTIBLE_ARGUMENT = 3;
    private static final int TIMED_ARGUMENT = 4;
    /** An inner class's enclosing instance. */
    static final String ENCLOSING = "this$0";

    private WovenMethods() {
    }

    /** A method with a blocking probe: see {@link LeanWeaver}. Reads expanded frames ({@link ClassReader#EXPAND_FRAMES}). */
    static final class ProbedMethod extends MethodVisitor {
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
     * {@code VirtualThread.run(Runnable)}: {@code Probes.virtualThreadEnds(this)} before each return
     * and in a catch-all, last in the exception table, that rethrows. The thread is handed over, not
     * asked for: on Java 21 the method unmounts the thread before it returns, so the current thread
     * there is its carrier. No local is added, so the method's own frames stand as they are; the
     * handler's frame claims only {@code this}, which the method never overwrites.
     */
    static final class ThreadEndMethod extends MethodVisitor {
        private final String owner;
        private final Label tryStart = new Label();
        private final Label handler = new Label();

        /** @param owner the internal name of the woven class: the type of {@code this} in the handler's frame */
        ThreadEndMethod(MethodVisitor method, String owner) {
            super(Opcodes.ASM9, method);
            this.owner = owner;
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
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "virtualThreadEnds", "(Ljava/lang/Object;)V", false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
            ends();
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, handler, handler, null);
            super.visitMaxs(Math.max(maxStack + 1, 2), maxLocals); // this, above a return value or the throwable
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
    static final class AdvisedMethod extends MethodVisitor {
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
                      String enclosingDescriptor, int maxLocals, boolean frames) {
            super(Opcodes.ASM9, method);
            this.advice = advice;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.arguments = Type.getArgumentTypes(descriptor);
            this.owner = owner;
            this.siteName = owner.replace('/', '.') + "." + name;
            this.enclosingDescriptor = enclosingDescriptor;
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
                case ENCLOSING -> !isStatic; // no this$0 (javac 18+ drops an unused one): null, the unit unnamed
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
                    if (enclosingDescriptor == null) {
                        super.visitInsn(Opcodes.ACONST_NULL);
                    } else {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, owner, ENCLOSING, enclosingDescriptor);
                    }
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
