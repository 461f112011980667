package io.jvmwatchdog.core.watch;

import java.time.Duration;

/** A ticker the test moves by hand. Starts where asked: tests use a random origin and one near overflow. */
public final class FakeTicker implements Ticker {
    private long nanos;

    public FakeTicker(long origin) {
        this.nanos = origin;
    }

    @Override
    public long read() {
        return nanos;
    }

    public void advance(Duration d) {
        nanos += d.toNanos();
    }
}
