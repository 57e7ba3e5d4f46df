package org.failover4j.netlink.rtnl;

/** How a macvlan talks to its siblings on the same parent ({@code IFLA_MACVLAN_MODE}). */
public enum MacvlanMode {
  /** No traffic between macvlans of the parent (keepalived's {@code use_vmac} default). */
  PRIVATE(1),
  /** Traffic between macvlans goes out and back through an external switch. */
  VEPA(2),
  /** Macvlans of the parent reach each other directly. */
  BRIDGE(4),
  /** One macvlan takes over the parent. */
  PASSTHRU(8),
  /** Frames are assigned by source MAC. */
  SOURCE(16);

  private final int value;

  MacvlanMode(int value) {
    this.value = value;
  }

  /** {@return the kernel's {@code MACVLAN_MODE_*} value} */
  public int value() {
    return value;
  }
}
