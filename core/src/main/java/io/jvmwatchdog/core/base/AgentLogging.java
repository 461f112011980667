package io.jvmwatchdog.core.base;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.Writer;
import org.slf4j.Logger;

/**
 * The agent's own logging: a private logback context configured in code, writing to stderr through
 * a {@link StderrSink} (never through {@code System.err}, whose lock an application thread may hold).
 *
 * <p>It never goes through {@code LoggerFactory}, so it never runs logback's auto-configuration or
 * SLF4J's provider lookup: it cannot read the application's {@code logback.xml}, and the
 * application's logging cannot pick up ours. In the agent jar both libraries are relocated as well.
 */
public final class AgentLogging {

    public static final String LOGGER_NAME = "io.jvmwatchdog";

    private static volatile Logger logger;
    private static final StderrSink SINK = StderrSink.forStandardError();

    private AgentLogging() {
    }

    /** The agent's logger, created on first use (from the watchdog's threads, not from premain). */
    public static Logger logger() {
        Logger l = logger;
        if (l == null) {
            synchronized (AgentLogging.class) {
                l = logger;
                if (l == null) {
                    l = create();
                    logger = l;
                }
            }
        }
        return l;
    }

    /**
     * The agent's logger if it was created already, else null: for code that runs while a class
     * loads (a transformer), where creating it would load logging's classes unseen by any transformer.
     */
    public static Logger loggerIfCreated() {
        return logger;
    }

    /** Where the log lines go: wait on it, bounded, before halting. */
    public static StderrSink sink() {
        return SINK;
    }

    /** Pieces of bulk output, so that a dump the queue cannot hold whole still gets out in part. */
    private static final int BULK_CHUNK_CHARS = 64 * 1024;

    /**
     * A writer of a long text (a whole-JVM dump) to stderr, after everything logged so far, as bulk
     * output: it may not take the room kept for reports ({@link StderrSink#offerBulk}). The text goes
     * out in 64 KiB pieces as it is written, so neither it nor its bytes are ever held whole: a
     * multi-megabyte string is a humongous allocation for G1, which can start a concurrent marking
     * cycle of the whole heap (seconds of a core on a big one) in the middle of an incident. Once a
     * piece does not fit, the rest is dropped and counted, so stderr never shows a dump with holes.
     */
    public static Writer bulkWriter() {
        return new Writer() {
            private final StringBuilder pending = new StringBuilder(BULK_CHUNK_CHARS);
            private boolean dropping;

            @Override
            public void write(char[] chars, int offset, int length) {
                pending.append(chars, offset, length);
                if (pending.length() >= BULK_CHUNK_CHARS) {
                    flush();
                }
            }

            @Override
            public void write(String text, int offset, int length) {
                pending.append(text, offset, offset + length);
                if (pending.length() >= BULK_CHUNK_CHARS) {
                    flush();
                }
            }

            @Override
            public void flush() {
                if (pending.length() == 0) {
                    return;
                }
                byte[] chunk = pending.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                pending.setLength(0);
                if (dropping || !SINK.offerBulk(chunk)) {
                    dropping = true;
                    SINK.dropped(chunk.length);
                }
            }

            @Override
            public void close() {
                flush();
            }
        };
    }

    private static Logger create() {
        LoggerContext context = new LoggerContext();
        context.setName("jvm-watchdog");
        // Normally set by logback's SLF4J provider, which we deliberately never run.
        context.setMDCAdapter(new LogbackMDCAdapter());
        AgentLayout layout = new AgentLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setEncoder(encoder);
        appender.setOutputStream(SINK);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(AgentDebug.requested() ? Level.DEBUG : Level.INFO);
        context.start();
        return context.getLogger(LOGGER_NAME);
    }

}
