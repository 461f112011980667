package io.jvmwatchdog.core.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** The agent's log line, written directly, is the line the pattern it replaces gave. */
class AgentLayoutTest {

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [jvm-watchdog] %msg%n";

    private static LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.jvmwatchdog"), level, message, thrown, args);
        event.setTimeStamp(1_796_000_000_123L);
        return event;
    }

    private static String byPattern(LoggingEvent event) {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(new LoggerContext());
        pattern.setPattern(PATTERN);
        pattern.start();
        return pattern.doLayout(event);
    }

    private static String direct(LoggingEvent event) {
        AgentLayout layout = new AgentLayout();
        layout.setContext(new LoggerContext());
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void aLine_isThePatternsLine_atEveryLevel() {
        for (Level level : new Level[] {Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            LoggingEvent e = event(level, "JVM Watchdog detected {} stuck thread(s)", null, 2);
            assertEquals(byPattern(e), direct(e));
        }
        assertTrue(direct(event(Level.INFO, "m", null)).contains(" INFO  [jvm-watchdog] m"), "control: the padding");
    }

    @Test
    void aThrowable_followsItsLine_asThePatternAddsIt() {
        LoggingEvent e = event(Level.WARN, "failed", new IllegalStateException("why"));
        String line = direct(e);
        assertTrue(line.contains("java.lang.IllegalStateException: why"), line);
        assertEquals(byPattern(e).lines().limit(3).toList(), line.lines().limit(3).toList());
    }
}
