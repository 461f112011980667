package io.jvmwatchdog.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an advice parameter to {@code Class.method} of the instrumented method, as a string constant
 * in the woven code: naming the entry point costs no allocation on the hot path.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface EntryName {
}
