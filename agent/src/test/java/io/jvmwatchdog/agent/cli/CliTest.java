package io.jvmwatchdog.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmwatchdog.core.config.Option;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI's help lists the options from their rows: a new row shows up there with nothing else to edit. */
class CliTest {

    @Test
    void helpListsEveryOptionWithItsDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Cli.OK, status);
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith(Cli.USAGE), help);
        assertTrue(Option.ALL.size() >= 15, "the rows were read");
        for (Option<?> option : Option.ALL) {
            String line = help.lines().filter(l -> l.trim().startsWith(option.key() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(option.key() + " missing from:\n" + help));
            assertTrue(line.contains(option.help()) && line.endsWith("(default " + option.defaultText() + ")"), line);
        }
        assertTrue(help.contains("  config "), help);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
