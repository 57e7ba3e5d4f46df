package org.failover4j.api;

/**
 * A closed {@link RoleSource} was asked to do work; every source throws this, and only this, after
 * {@link RoleSource#close()}.
 */
public class SourceClosedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * A closed source was used, as {@code message} says.
   *
   * @param message what was closed, such as {@code the router is closed; build a new one}
   * @param cause what led here, or null
   */
  public SourceClosedException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@return the exception for a closed {@code source}, worded the same way for every source}
   *
   * @param source what was closed, such as {@code the router} or {@code the IPVS sync channel}
   */
  public static SourceClosedException of(String source) {
    return new SourceClosedException(source + " is closed; build a new one", null);
  }
}
