package io.jvmwatchdog.core.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;

/**
 * The agent's own logging: a private logback context configured in code, writing to stderr.
 *
 * <p>It never goes through {@code LoggerFactory}, so it never runs logback's auto-configuration or
 * SLF4J's provider lookup: it cannot read the application's {@code logback.xml}, and the
 * application's logging cannot pick up ours. In the agent jar both libraries are relocated as well.
 */
public final class AgentLogging {

    public static final String LOGGER_NAME = "io.jvmwatchdog";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [jvm-watchdog] %msg%n";

    private static volatile Logger logger;

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

    private static Logger create() {
        LoggerContext context = new LoggerContext();
        context.setName("jvm-watchdog");
        // Normally set by logback's SLF4J provider, which we deliberately never run.
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Boolean.getBoolean("watchdog.debug") ? Level.DEBUG : Level.INFO);
        context.start();
        return context.getLogger(LOGGER_NAME);
    }
}
