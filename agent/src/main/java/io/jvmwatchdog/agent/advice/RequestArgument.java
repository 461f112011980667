package io.jvmwatchdog.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an advice parameter to the woven method's argument that holds the request, at the index the unit
 * table ({@code UnitsOfWork}) gives: the same servlet advice serves {@code Servlet#service(request, response)}
 * (index 0) and Jetty 9.4-11's {@code HandlerWrapper.handle(target, baseRequest, request, response)}
 * (index 2).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RequestArgument {
}
