package io.jvmwatchdog.core.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code Class#method}: a binary class name (nested classes with {@code $}) and a method name or
 * {@code *} for every method the class declares.
 */
public final class MethodPattern {

    static final String EXPECTED = "Class#method, e.g. com.example.Worker#process or com.example.Outer$Inner#*";

    private static final String IDENTIFIER = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    private static final Pattern CLASS_NAME = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
    private static final Pattern METHOD_NAME = Pattern.compile(IDENTIFIER + "|\\*");

    private final String className;
    private final String methodName;

    private MethodPattern(String className, String methodName) {
        this.className = className;
        this.methodName = methodName;
    }

    static MethodPattern parse(String key, String text) throws InvalidOptionException {
        String trimmed = text.trim();
        int hash = trimmed.indexOf('#');
        if (hash <= 0 || hash != trimmed.lastIndexOf('#')) {
            throw InvalidOptionException.invalidValue(key, text, EXPECTED);
        }
        String cls = trimmed.substring(0, hash);
        String method = trimmed.substring(hash + 1);
        if (!CLASS_NAME.matcher(cls).matches() || !METHOD_NAME.matcher(method).matches()) {
            throw InvalidOptionException.invalidValue(key, text, EXPECTED);
        }
        return new MethodPattern(cls, method);
    }

    public static MethodPattern of(String className, String methodName) {
        try {
            return parse("pattern", className + "#" + methodName);
        } catch (InvalidOptionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The binary name, as {@link Class#getName()} spells it. */
    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public boolean anyMethod() {
        return methodName.equals("*");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodPattern
                && ((MethodPattern) o).className.equals(className)
                && ((MethodPattern) o).methodName.equals(methodName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, methodName);
    }

    @Override
    public String toString() {
        return className + "#" + methodName;
    }
}
