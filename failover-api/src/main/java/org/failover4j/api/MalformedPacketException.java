package org.failover4j.api;

import java.util.Objects;

/**
 * The one exception every failover4j decoder raises for bad input. It carries a typed {@link
 * DropReason} that runtimes count, and a detail that says what was wrong in numbers ("truncated
 * header: 6 bytes, need 8"). It has no stack trace: bad input is expected, and building one per
 * hostile packet would cost more than the decode.
 */
public class MalformedPacketException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient DropReason reason;

  /** What exactly was wrong, for humans. */
  private final String detail;

  /**
   * A malformed-input error for {@code reason}, explained by {@code detail}.
   *
   * @param reason why the input was rejected, the counter to count it under
   * @param detail what exactly was wrong, for humans; never a secret
   */
  public MalformedPacketException(DropReason reason, String detail) {
    super(reason.name() + ": " + detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /**
   * Why the input was rejected.
   *
   * @return the reason
   */
  public DropReason reason() {
    return reason;
  }

  /** {@return what exactly was wrong, for humans} */
  public String detail() {
    return detail;
  }
}
