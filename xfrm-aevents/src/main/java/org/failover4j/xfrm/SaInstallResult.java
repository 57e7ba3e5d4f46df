package org.failover4j.xfrm;

import java.util.Optional;

/** What a takeover did with one SA: installed its state, or why not. */
public sealed interface SaInstallResult {

  /** {@return the SA} */
  SaId sa();

  /** {@return its mark, when it has one} */
  Optional<XfrmMark> mark();

  /**
   * The state was installed with NEWAE.
   *
   * @param sa the SA
   * @param mark its mark
   * @param syncedSequence the last outbound sequence number the old master reported
   * @param installedSequence the outbound sequence number installed
   * @param lifetimeBytes the lifetime byte counter installed (-1: none was synced)
   * @param exhausted true when the margin reached the end of the sequence space: IKE must rekey
   */
  record Installed(
      SaId sa,
      Optional<XfrmMark> mark,
      long syncedSequence,
      long installedSequence,
      long lifetimeBytes,
      boolean exhausted)
      implements SaInstallResult {}

  /**
   * The state was not installed.
   *
   * @param sa the SA
   * @param mark its mark
   * @param reason why
   * @param detail the kernel's error or other detail
   */
  record NotInstalled(SaId sa, Optional<XfrmMark> mark, Reason reason, String detail)
      implements SaInstallResult {}

  /** Why a state was not installed. */
  enum Reason {
    /** The new master's kernel has no such SA (the IKE daemon has not installed it yet?). */
    NO_SUCH_SA,
    /** The synced state carries no replay state to move forward. */
    NO_REPLAY_STATE,
    /** The kernel refused the NEWAE (EINVAL, EPERM, ...). */
    KERNEL_ERROR
  }
}
