package io.jvmwatchdog.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@code int} advice parameter to the {@link io.jvmwatchdog.boot.Sites} number of the
 * instrumented method ({@code Class.method}, with the probe's blocking kind for a blocking call), as a
 * constant in the woven code: naming the site costs a transition one {@code int} store.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface SiteId {
}
