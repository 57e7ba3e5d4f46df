package org.failover4j.netlink.rtnl;

/** The scope of an address ({@code ifa_scope}): how far it is meaningful. */
public enum AddressScope {
  /** Global: valid everywhere (the default for configured addresses). */
  UNIVERSE(0),
  /** Site-local (IPv6 only, deprecated). */
  SITE(200),
  /** Valid on the attached link only. */
  LINK(253),
  /** Valid inside this host only. */
  HOST(254);

  private final int value;

  AddressScope(int value) {
    this.value = value;
  }

  /** {@return the kernel's {@code RT_SCOPE_*} value} */
  public int value() {
    return value;
  }
}
