package io.jvmwatchdog.core.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a report names what a server's unit serves, from what the advice recorded. */
class UnitDetailTest {

    @Test
    void aRequestIsNamedByMethodAndPath() {
        assertEquals("request GET /orders/7", JvmThreadSampler.detail("GET", "/orders/7", null));
        assertEquals("request ? /orders", JvmThreadSampler.detail(null, "/orders", null));
    }

    @Test
    void aTaskIsNamedByItsClass_aLambdaByTheClassThatWroteIt() {
        Runnable lambda = () -> { };
        assertEquals("task java.lang.Thread", JvmThreadSampler.detail(null, null, Thread.class));
        assertEquals("task io.jvmwatchdog.core.sample.UnitDetailTest (lambda)",
                JvmThreadSampler.detail(null, null, lambda.getClass()));
    }

    @Test
    void aChannelIsNamedByItsOwnDescription_andOneThatThrowsByItsClass() {
        Object channel = new Object() {
            @Override
            public String toString() {
                return "[id: 0x01, L:/127.0.0.1:8080 - R:/127.0.0.1:40000]";
            }
        };
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("closed");
            }
        };
        assertEquals("channel [id: 0x01, L:/127.0.0.1:8080 - R:/127.0.0.1:40000]", JvmThreadSampler.detail(null, null, channel));
        assertEquals("channel of " + broken.getClass().getName(), JvmThreadSampler.detail(null, null, broken));
    }

    @Test
    void nothingRecordedIsNoDetail() {
        assertNull(JvmThreadSampler.detail(null, null, null));
    }
}
