package org.failover4j.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test (class or method) that runs real peers in a {@link Lab}. It needs root, {@code ip}
 * and the listed programs. Without them the test is skipped with a loud message, unless the system
 * property {@code failover4j.interop} is {@code required} (CI sets it): then it fails. {@code skip}
 * skips every interop test; {@code optional} is the default; any other value is refused.
 *
 * <p>A test method may declare a {@link Lab} parameter: it gets a fresh lab, closed after the test
 * whatever its outcome.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("interop")
@ExtendWith(InteropExtension.class)
public @interface Interop {

  /** Programs that must be on the PATH besides {@code ip}, such as {@code keepalived}. */
  String[] peers() default {};
}
