package io.jvmwatchdog.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The options from everywhere an operator may give them, the way other JVM agents take theirs. For
 * each key the first source that has it wins:
 * <ol>
 *   <li>the agent argument ({@code -javaagent:watchdog.jar=timeout=3m}, or {@code attach <pid> timeout=3m});</li>
 *   <li>the system property {@code watchdog.<key>} ({@code -Dwatchdog.startup-timeout=1m});</li>
 *   <li>the environment variable {@code WATCHDOG_<KEY>}, upper case with '-' as '_'
 *       ({@code WATCHDOG_STARTUP_TIMEOUT=1m});</li>
 *   <li>the properties file named by {@code config=<file>} (itself taken from the same three places);</li>
 *   <li>the default.</li>
 * </ol>
 * A bad value is rejected wherever it comes from, and the message says where. The file belongs to the
 * watchdog, so a key it does not know is an error there. Other namespaces are shared: an unknown
 * {@code watchdog.*} property is only warned about (an application may have its own), and unknown
 * {@code WATCHDOG_*} variables are ignored (systemd sets {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}
 * for services with a watchdog of its own).
 */
public final class ConfigSources {

    static final String CONFIG_KEY = "config";
    static final String PROPERTY_PREFIX = "watchdog.";
    static final String ENV_PREFIX = "WATCHDOG_";
    /** System properties of ours that are not options. */
    private static final List<String> OTHER_PROPERTIES = List.of("debug");

    /**
     * The effective options, where each came from, and warnings to log once logging is up.
     *
     * @param sources per key, where its value came from: {@code agent argument},
     *     {@code system property watchdog.timeout}, {@code environment WATCHDOG_TIMEOUT},
     *     {@code config file /etc/app/watchdog.properties} or {@code default}
     */
    public record Resolved(Options options, Map<String, String> sources, List<String> warnings) {

        /** The configuration in force, for the log line at start: each key, its value and its source. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            options.describe().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v)
                    .append(" (").append(sources.getOrDefault(k, "default")).append(')'));
            return sb.toString();
        }
    }

    private ConfigSources() {
    }

    /**
     * The options of an agent argument string alone (and a {@code config=} file it names): comma
     * separated {@code key=value}; null or blank means all defaults.
     *
     * @throws InvalidOptionException with the one line to show the user
     */
    public static Options fromArgument(String agentArgs) throws InvalidOptionException {
        return resolve(agentArgs, Map.of(), Map.of()).options();
    }

    /** Resolves the options of this JVM: its system properties and environment. */
    public static Resolved resolve(String agentArgs) throws InvalidOptionException {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) { // no lambda: this runs before main
            properties.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        }
        return resolve(agentArgs, properties, System.getenv());
    }

    public static Resolved resolve(String agentArgs, Map<String, String> systemProperties,
                                   Map<String, String> environment) throws InvalidOptionException {
        Map<String, String> arguments = parseArguments(agentArgs);
        List<String> warnings = new ArrayList<>();
        for (String name : systemProperties.keySet()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                String key = name.substring(PROPERTY_PREFIX.length());
                if (Option.named(key).isEmpty() && !key.equals(CONFIG_KEY) && !OTHER_PROPERTIES.contains(key)
                        && !key.contains(".")) {
                    warnings.add("JVM Watchdog: ignoring system property " + name + ": no such option (expected one of "
                            + knownKeys() + ")");
                }
            }
        }
        Map<String, String> file = Map.of();
        String fileSource = null;
        String[] config = find(CONFIG_KEY, arguments, systemProperties, environment);
        if (config != null) {
            Path path = Path.of(config[0]);
            fileSource = "config file " + path;
            file = readFile(path, config[1]);
        }
        Options.Builder builder = Options.builder();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Option<?> option : Option.ALL) {
            String key = option.key();
            String[] found = find(key, arguments, systemProperties, environment);
            if (found == null && file.containsKey(key)) {
                found = new String[] {file.get(key), fileSource};
            }
            if (found == null) {
                continue;
            }
            set(builder, key, found);
            sources.put(key, found[1]);
        }
        if (config != null) {
            sources.put(CONFIG_KEY, config[1]);
        }
        return new Resolved(builder.build(), sources, List.copyOf(warnings));
    }

    private static final String ARGUMENT = "agent argument";

    /** The agent argument string as keys and values, checked for form, unknown keys and repeats. */
    static Map<String, String> parseArguments(String agentArgs) throws InvalidOptionException {
        Map<String, String> values = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return values;
        }
        for (String item : agentArgs.split(",", -1)) {
            String trimmed = item.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new InvalidOptionException("watchdog: invalid option '" + InvalidOptionException.quote(trimmed)
                        + "' (expected key=value, with keys " + knownKeys() + ")");
            }
            String key = trimmed.substring(0, eq).trim();
            String value = trimmed.substring(eq + 1).trim();
            if (Option.named(key).isEmpty() && !key.equals(CONFIG_KEY)) {
                throw unknown(key);
            }
            if (values.put(key, value) != null) {
                throw new InvalidOptionException("watchdog: option '" + InvalidOptionException.quote(key)
                        + "' is given twice (expected each key once)");
            }
        }
        return values;
    }

    static InvalidOptionException unknown(String key) {
        return InvalidOptionException.unknown(key, knownKeys());
    }

    /** Every key an agent argument may have: the options, and config. */
    static String knownKeys() {
        return Option.keys() + ", " + CONFIG_KEY;
    }

    /**
     * For a later attach to a JVM whose watchdog already runs: the options that attach names, from its
     * argument and a {@code config=} file the argument names, applied on top of {@code current}. An
     * option it does not name keeps its value (the target's system properties and environment were
     * read at the first load and are not read again).
     *
     * @return the new options, and per key the source of each option the attach named
     * @throws InvalidOptionException with the one line to show the user
     */
    public static Resolved onTopOf(Options current, String agentArgs) throws InvalidOptionException {
        Map<String, String> arguments = parseArguments(agentArgs);
        Map<String, String[]> named = new LinkedHashMap<>();
        arguments.forEach((k, v) -> {
            if (!k.equals(CONFIG_KEY)) {
                named.put(k, new String[] {v, ARGUMENT});
            }
        });
        if (arguments.containsKey(CONFIG_KEY)) {
            Path path = Path.of(arguments.get(CONFIG_KEY));
            readFile(path, ARGUMENT).forEach((k, v) -> named.putIfAbsent(k, new String[] {v, "config file " + path}));
        }
        Options.Builder builder = current.toBuilder();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : named.entrySet()) {
            set(builder, e.getKey(), e.getValue());
            sources.put(e.getKey(), e.getValue()[1]);
        }
        return new Resolved(builder.build(), sources, List.of());
    }

    /** Sets one option from {value, source}; a bad value's message says the source when it is not the argument. */
    private static void set(Options.Builder builder, String key, String[] found) throws InvalidOptionException {
        try {
            builder.set(key, found[0]);
        } catch (InvalidOptionException e) {
            throw found[1].equals(ARGUMENT) ? e : new InvalidOptionException(
                    e.getMessage().replaceFirst("for '" + key + "'", "for '" + key + "' in " + found[1]));
        }
    }

    /** The value of {@code key} and its source from the first of the three places that has it, or null. */
    private static String[] find(String key, Map<String, String> arguments, Map<String, String> properties,
                                 Map<String, String> environment) {
        if (arguments.containsKey(key)) {
            return new String[] {arguments.get(key), ARGUMENT};
        }
        String property = PROPERTY_PREFIX + key;
        if (properties.containsKey(property)) {
            return new String[] {properties.get(property).trim(), "system property " + property};
        }
        String variable = environmentName(key);
        if (environment.containsKey(variable)) {
            return new String[] {environment.get(variable).trim(), "environment " + variable};
        }
        return null;
    }

    /** {@code startup-timeout} → {@code WATCHDOG_STARTUP_TIMEOUT}. */
    static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Map<String, String> readFile(Path path, String from) throws InvalidOptionException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidOptionException("watchdog: cannot read '" + InvalidOptionException.quote(path.toString())
                    + "' for 'config' in " + from + " (" + reason(e) + "; expected a readable properties file)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (Option.named(key).isEmpty()) {
                throw new InvalidOptionException("watchdog: unknown option '" + InvalidOptionException.quote(key)
                        + "' in config file " + path + " (expected one of " + Option.keys() + ")");
            }
            values.put(key, p.getProperty(key).trim());
        }
        return values;
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
