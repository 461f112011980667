package io.jvmwatchdog.it;

import java.util.ArrayList;
import java.util.List;

/** Line-level views of a child's output. */
public final class Lines {

    /** The JVM's own CDS warning once the agent appends to the boot class path; not the agent's output. */
    static final String CDS_WARNING = "Sharing is only supported for boot loader classes";

    private Lines() {
    }

    /** Non-blank lines, minus the JVM's CDS warning. */
    public static List<String> meaningful(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank() && !line.contains(CDS_WARNING)) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * Like {@link #meaningful(String)}, and also without the JVM's "WARNING:" lines (Java 21+ prints a
     * block of them when an agent is loaded dynamically).
     */
    public static List<String> withoutJvmWarnings(String text) {
        List<String> out = new ArrayList<>();
        for (String line : meaningful(text)) {
            if (!line.startsWith("WARNING:")) {
                out.add(line);
            }
        }
        return out;
    }

    /** Lines that look like a Java stack trace or a JVM fatal error. */
    public static List<String> stackTraceLike(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.startsWith("at ") || t.contains("Exception") || t.contains("FATAL ERROR")
                    || t.startsWith("Caused by:") || t.matches("\\.\\.\\. \\d+ more")) {
                out.add(line);
            }
        }
        return out;
    }

    public static long count(String text, String literal) {
        long n = 0;
        for (int i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + literal.length())) {
            n++;
        }
        return n;
    }
}
