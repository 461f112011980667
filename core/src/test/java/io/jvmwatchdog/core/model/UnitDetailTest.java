package io.jvmwatchdog.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a report names what a server's unit serves, from what the advice recorded. */
class UnitDetailTest {

    private static String detail(String method, String path, Object subject) {
        UnitDetail d = UnitDetail.of(method, path, subject);
        return d == null ? null : d.describe();
    }

    @Test
    void aRequestIsNamedByMethodAndPath() {
        assertEquals("request GET /orders/7", detail("GET", "/orders/7", null));
        assertEquals("request ? /orders", detail(null, "/orders", null));
    }

    @Test
    void aRequestPath_isSaidWithoutPathParameters_noSessionIdEverReachesAReport() {
        assertEquals("request GET /cart/items", detail("GET", "/cart;jsessionid=0A1B2C3D4E5F/items", null));
        assertEquals("request GET /cart", detail("GET", "/cart;jsessionid=0A1B2C3D4E5F", null));
        assertEquals("request POST /a/b/c", detail("POST", "/a;x=1;y=2/b;v=2/c;", null));
        assertEquals("request GET /orders", detail("GET", "/orders?token=s3cr3t", null), "a query a server left on");
        assertEquals("request GET /", detail("GET", "/;jsessionid=x", null));
        assertEquals("request GET /a%3Bb", detail("GET", "/a%3Bb", null), "an escaped ';' is data, not a parameter");
    }

    @Test
    void aTaskIsNamedByItsClass_aLambdaByTheClassThatWroteIt() {
        Runnable lambda = () -> { };
        assertEquals("task java.lang.Thread", detail(null, null, Thread.class));
        assertEquals("task io.jvmwatchdog.core.model.UnitDetailTest (lambda)",
                detail(null, null, lambda.getClass()));
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
        assertEquals("channel [id: 0x01, L:/127.0.0.1:8080 - R:/127.0.0.1:40000]", detail(null, null, channel));
        assertEquals("channel of " + broken.getClass().getName(), detail(null, null, broken));
    }

    @Test
    void nothingRecordedIsNoDetail() {
        assertNull(detail(null, null, null));
    }
}
