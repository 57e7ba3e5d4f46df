package org.failover4j.netlink;

/** A descriptor watched by a {@link PollEventLoop}. */
public interface Registration {

  /** {@return what is watched} */
  Pollable pollable();

  /** Stops watching (without closing the descriptor); callable from any thread. */
  void cancel();

  /** {@return false once cancelled, or once the descriptor or the loop closed} */
  boolean isActive();
}
