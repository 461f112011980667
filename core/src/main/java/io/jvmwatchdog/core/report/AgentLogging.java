package io.jvmwatchdog.core.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
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
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [jvm-watchdog] %msg%n";

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

    /** Where the log lines go: wait on it, bounded, before halting. */
    public static StderrSink sink() {
        return SINK;
    }

    /** Pieces of bulk output, so that a dump the queue cannot hold whole still gets out in part. */
    private static final int BULK_CHUNK_BYTES = 64 * 1024;

    /**
     * Writes a long text (a whole-JVM dump) to stderr, after everything logged so far, as bulk
     * output: it may not take the room kept for reports ({@link StderrSink#offerBulk}). Once a piece
     * does not fit, the rest is dropped and counted, so stderr never shows a dump with holes in it.
     */
    public static void writeBulk(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int offset = 0; offset < bytes.length; offset += BULK_CHUNK_BYTES) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + BULK_CHUNK_BYTES));
            if (!SINK.offerBulk(chunk)) {
                SINK.dropped(bytes.length - offset - chunk.length);
                return;
            }
        }
    }

    private static Logger create() {
        LoggerContext context = new LoggerContext();
        context.setName("jvm-watchdog");
        // Normally set by logback's SLF4J provider, which we deliberately never run.
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
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
        root.setLevel(Boolean.getBoolean("watchdog.debug") ? Level.DEBUG : Level.INFO);
        context.start();
        return context.getLogger(LOGGER_NAME);
    }
}
