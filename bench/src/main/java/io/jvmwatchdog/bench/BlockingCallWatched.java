package io.jvmwatchdog.bench;

import org.openjdk.jmh.annotations.Fork;

/** {@link BlockingCall} with the agent attached at launch (run from the repository's root). */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/watchdog.jar=timeout=3m")
public class BlockingCallWatched extends BlockingCall {
}
