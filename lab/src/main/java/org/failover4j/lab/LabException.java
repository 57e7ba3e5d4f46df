package org.failover4j.lab;

/** A lab operation failed: a command exited non-zero, a peer did not start, a wait timed out. */
public class LabException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure explained by {@code message}. */
  public LabException(String message) {
    super(message);
  }

  /** A failure explained by {@code message}, caused by {@code cause}. */
  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
