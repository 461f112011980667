import java.lang.instrument.Instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * The "bare Byte Buddy agent" baseline of bench/startup.sh: what Byte Buddy alone costs at startup.
 * Its premain installs one AgentBuilder that weaves an Advice into one method of one JDK class,
 * ThreadPoolExecutor.execute, by retransformation (the class may already be loaded), and does nothing
 * else: no boot class path append, no helper classes, no threads, no logging. Like the watchdog, it
 * does not ignore the JDK's classes, so its matcher sees every class the JVM loads.
 *
 * <p>Built by bench/startup.sh with javac against Byte Buddy's jar from ~/.m2, whose classes go into
 * the agent jar unrelocated (bench/target/bare-agent/bare-bytebuddy-agent.jar).
 */
public final class BareByteBuddyAgent {

    private BareByteBuddyAgent() {
    }

    /** With the argument {@code verbose}, it also says on stderr which class it transformed. */
    public static void premain(String args, Instrumentation inst) {
        AgentBuilder.Listener.StreamWriting listener = AgentBuilder.Listener.StreamWriting.toSystemError();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(nameStartsWith("net.bytebuddy.").or(isSynthetic()))
                .with("verbose".equals(args) ? listener.withTransformationsOnly() : listener.withErrorsOnly())
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(Timing.class).on(named("execute"))))
                .installOn(inst);
    }

    /** Inlined into a boot class: it may reference only what the boot loader sees. */
    static final class Timing {

        private Timing() {
        }

        @Advice.OnMethodEnter
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter long start) {
            // nothing: the advice exists to be woven, not to record
        }
    }
}
