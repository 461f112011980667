package io.jvmwatchdog.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void format_isCompactAndReadable() {
        assertEquals("0ms", Durations.formatNanos(-5));
        assertEquals("750ms", Durations.format(Duration.ofMillis(750)));
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("2.4s", Durations.format(Duration.ofMillis(2_450)));
        assertEquals("3m 4s", Durations.format(Duration.ofSeconds(184)));
        assertEquals("1h 2m", Durations.format(Duration.ofMinutes(62)));
        assertEquals("3m", Durations.format(Duration.ofMinutes(3)));
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
    }

    @Test
    void toOption_isTheShortestSpellingThatParsesBack() throws Exception {
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(30),
                Duration.ofMinutes(3), Duration.ofHours(2), Duration.ofNanos(1_500)}) {
            assertEquals(d, Durations.parse("timeout", Durations.toOption(d)));
        }
        assertEquals("3m", Durations.toOption(Duration.ofMinutes(3)));
        assertEquals("1500ms", Durations.toOption(Duration.ofMillis(1500)));
    }
}
