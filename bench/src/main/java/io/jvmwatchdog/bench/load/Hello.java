package io.jvmwatchdog.bench.load;

import java.time.Instant;

/**
 * The hello world of bench/startup.sh. The first line of {@code main} prints the wall clock in
 * microseconds since the epoch, which the script subtracts from its own clock read just before
 * launching: launch-to-main, agent's premain included.
 *
 * <p>Usage: {@code Hello [--stay MILLIS]}; {@code --stay} keeps the JVM alive that long after
 * printing, so that an agent finishing its set-up in the background can report when it did.
 */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) throws InterruptedException {
        Instant now = Instant.now();
        // println(long), not string concatenation: the first '+' on a String bootstraps
        // StringConcatFactory, tens of milliseconds that would blur what is measured.
        System.out.println(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
        System.out.flush();
        if (args.length == 2 && args[0].equals("--stay")) {
            Thread.sleep(Long.parseLong(args[1]));
        } else if (args.length != 0) {
            System.err.println("usage: Hello [--stay MILLIS]");
            System.exit(2);
        }
    }
}
