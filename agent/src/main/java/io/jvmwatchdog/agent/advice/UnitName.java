package io.jvmwatchdog.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@code int} advice parameter to the {@link io.jvmwatchdog.boot.Sites} number of the name the unit table ({@code UnitsOfWork}) gives a unit, as a constant in the
 * woven code. Used where the woven method is not the unit's own name: a pool's wait for work names
 * the pool's run loop, whichever pool class (the JDK's, or Tomcat's copy of it) is woven.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface UnitName {
}
