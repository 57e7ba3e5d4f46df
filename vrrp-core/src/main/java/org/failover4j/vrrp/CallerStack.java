package org.failover4j.vrrp;

import java.lang.reflect.Constructor;
import java.util.function.BiFunction;

/**
 * Rethrows an exception raised on the event loop's thread from the caller's thread: a copy of the
 * same type (when it has a {@code (String, Throwable)} constructor) whose stack is the caller's and
 * whose cause is the original, so a stack trace shows both where the call came from and where it
 * failed.
 */
final class CallerStack {

  private CallerStack() {}

  /** The copy, or {@code fallback(message, original)} when the type cannot be copied. */
  static <T extends Throwable> T of(
      T original, BiFunction<String, Throwable, ? extends T> fallback) {
    try {
      Constructor<? extends Throwable> constructor =
          original.getClass().getConstructor(String.class, Throwable.class);
      @SuppressWarnings("unchecked")
      T copy = (T) constructor.newInstance(original.getMessage(), original);
      return copy;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return fallback.apply(original.getMessage(), original);
    }
  }
}
