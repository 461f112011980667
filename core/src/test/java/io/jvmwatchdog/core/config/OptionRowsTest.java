package io.jvmwatchdog.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rows of {@link Option#ALL} are the one truth about options: the builder, the sources and the README agree. */
class OptionRowsTest {

    @Test
    void typedBuilderMethodsCheckLikeTheParser() {
        IllegalArgumentException period = assertThrows(IllegalArgumentException.class,
                () -> Options.builder().period(Duration.ofMillis(1)));
        assertEquals("watchdog: invalid value '1ms' for 'period' (expected a duration of at least 10ms)",
                period.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> Options.builder().timeout(Duration.ofSeconds(-1)));
        assertTrue(timeout.getMessage().contains("for 'timeout' (expected a duration"), timeout.getMessage());
        IllegalArgumentException minThreads = assertThrows(IllegalArgumentException.class,
                () -> Options.builder().panicMinThreads(0));
        assertEquals("watchdog: invalid value '0' for 'panic-min-threads' (expected a whole number of threads, at least 1)",
                minThreads.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.builder().action(null));
        assertThrows(IllegalArgumentException.class, () -> Options.builder().interruptAfter(Duration.ofMillis(-5)));
        // Positive control: the same methods take good values.
        Options ok = Options.builder().period(Duration.ofMillis(10)).timeout(Duration.ZERO).panicMinThreads(3).build();
        assertEquals(Duration.ofMillis(10), ok.period());
        assertEquals(3, ok.panicMinThreads());
    }

    @Test
    void theStringPathGivesTheSameMessageAsTheTypedOne() {
        InvalidOptionException parsed = assertThrows(InvalidOptionException.class,
                () -> ConfigSources.fromArgument("panic-min-threads=0"));
        IllegalArgumentException typed = assertThrows(IllegalArgumentException.class,
                () -> Options.builder().panicMinThreads(0));
        assertEquals(parsed.getMessage(), typed.getMessage());
    }

    @Test
    void everyRowRoundTripsItsDefaultAndDescribesItself() throws Exception {
        Options defaults = Options.defaults();
        Map<String, String> described = defaults.describe();
        List<String> keys = new ArrayList<>();
        for (Option<?> option : Option.ALL) {
            keys.add(option.key());
            assertFalse(option.help().isBlank(), option.key());
            assertTrue(option.help().length() <= 80, option.key() + ": help fits one line of --help");
            if (described.get(option.key()).equals("none")) {
                continue; // an absent value: not an option value one can write
            }
            // Whatever describe says parses back to the same value.
            Options again = Options.builder().set(option.key(), described.get(option.key())).build();
            assertEquals(defaults, again, option.key());
        }
        assertEquals(keys, new ArrayList<>(described.keySet()));
        assertEquals(List.of("ready", "entry", "events", "dump-dir"),
                Option.ALL.stream().filter(Option::fixedAtInstall).map(Option::key).toList());
    }

    /**
     * The README's options table lists every row, in order, with the row's default. A row added
     * without its README line (or a default changed in one place only) fails here.
     */
    @Test
    void theReadmeTableAgreesWithTheRows() throws IOException {
        Map<String, String> readme = readmeOptionsTable();
        assertTrue(readme.containsKey("timeout"), "the table was read: " + readme);
        Map<String, String> rows = new LinkedHashMap<>();
        Option.ALL.forEach(o -> rows.put(o.key(), o.defaultText()));
        rows.put(ConfigSources.CONFIG_KEY, "none");
        assertEquals(new ArrayList<>(rows.keySet()).stream().sorted().toList(),
                new ArrayList<>(readme.keySet()).stream().sorted().toList(), "README keys");
        rows.forEach((key, defaultText) -> {
            String shown = readme.get(key).replace("`", "");
            assertTrue(shown.equals(defaultText) || shown.startsWith(defaultText + " "),
                    key + ": README says " + readme.get(key) + ", the row " + defaultText);
        });
    }

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| ([^|]+) \\|");

    /** Key to default column, from the table under the header {@code | key | default | meaning |}. */
    static Map<String, String> readmeOptionsTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int header = lines.indexOf("| key | default | meaning |");
        assertTrue(header >= 0, "README has the options table");
        Map<String, String> table = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            assertTrue(m.find(), "a row of the options table: " + lines.get(i));
            table.put(m.group(1), m.group(2).trim());
        }
        return table;
    }
}
