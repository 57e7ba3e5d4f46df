package org.failover4j.ipvs;

/** The two versions of the IPVS sync wire format. */
public enum SyncVersion {
  /**
   * The original format: IPv4 only, no firewall mark, timeout or persistence data; the sequence
   * block is copied in the sender's host byte order. Kernels send it with {@code
   * net.ipv4.vs.sync_version=0}.
   */
  V0,
  /** The format kernels send by default since 2.6.37: IPv4 and IPv6 entries with options. */
  V1
}
