package org.failover4j.ipvs;

import java.util.Arrays;

/**
 * How a backup finds the entry a sync entry updates, as the kernel's lookups do.
 *
 * <ul>
 *   <li>A connection ({@code ip_vs_conn_in_get}): family, protocol, client address and port,
 *       virtual address and port.
 *   <li>A template ({@code ip_vs_ct_in_get}): the same among templates, except that a firewall-mark
 *       template (protocol 0) compares only the first 4 bytes of the virtual address.
 *   <li>A template with persistence data (the engine's {@code ct_match}, SIP's): engine, data,
 *       family, protocol, client address, virtual address and port, but not the client port.
 * </ul>
 *
 * A mutable probe is filled per lookup so that finding an entry allocates nothing; the table keeps
 * {@link #copy() copies} as its keys.
 */
final class ConnectionKey {

  private static final int ANY_PORT = -1;

  private boolean template;
  private boolean ipv6;
  private int protocol;
  private int clientPort;
  private int virtualPort;
  private long clientHigh;
  private long clientLow;
  private long virtualHigh;
  private long virtualLow;
  private String engine;
  private byte[] data;
  private int dataLength;
  private int hash;

  /** A probe with room for the longest persistence data. */
  static ConnectionKey probe() {
    ConnectionKey key = new ConnectionKey();
    key.data = new byte[SyncWire.PE_DATA_MAX_LENGTH];
    return key;
  }

  /** Fills this probe from a received entry; {@code template} from its backup flags. */
  ConnectionKey set(SyncEntry e, boolean template) {
    this.template = template;
    this.ipv6 = e.ipv6();
    this.protocol = e.protocol();
    this.clientPort = e.clientPort();
    this.virtualPort = e.virtualPort();
    this.clientHigh = e.addressHigh(SyncEntry.CLIENT);
    this.clientLow = e.addressLow(SyncEntry.CLIENT);
    this.virtualHigh = e.addressHigh(SyncEntry.VIRTUAL);
    this.virtualLow = e.addressLow(SyncEntry.VIRTUAL);
    this.engine = template ? e.persistenceEngine() : null;
    this.dataLength = 0;
    if (engine != null) {
      dataLength = e.persistenceDataLength();
      e.copyPersistenceData(data, 0);
    }
    return normalize();
  }

  /** Fills this probe from a connection value. */
  ConnectionKey set(SyncConnection c) {
    this.template = c.isTemplate();
    this.ipv6 = c.ipv6();
    this.protocol = c.protocol();
    this.clientPort = c.clientPort();
    this.virtualPort = c.virtualPort();
    this.clientHigh = Addresses.high(c.clientAddress());
    this.clientLow = Addresses.low(c.clientAddress());
    this.virtualHigh = Addresses.high(c.virtualAddress());
    this.virtualLow = Addresses.low(c.virtualAddress());
    PersistenceData pe = template ? c.persistence() : null;
    this.engine = pe == null ? null : pe.engine();
    this.dataLength = 0;
    if (pe != null) {
      dataLength = pe.length();
      System.arraycopy(pe.dataUnsafe(), 0, data, 0, dataLength);
    }
    return normalize();
  }

  private ConnectionKey normalize() {
    if (template && protocol == 0 && ipv6) {
      // ip_vs_addr_equal(AF_UNSPEC, ...) compares the first 32 bits only.
      virtualHigh &= 0xFFFFFFFF00000000L;
      virtualLow = 0;
    }
    if (engine != null) {
      clientPort = ANY_PORT;
    }
    int h = Boolean.hashCode(template);
    h = 31 * h + Boolean.hashCode(ipv6);
    h = 31 * h + protocol;
    h = 31 * h + clientPort;
    h = 31 * h + virtualPort;
    h = 31 * h + Long.hashCode(clientHigh);
    h = 31 * h + Long.hashCode(clientLow);
    h = 31 * h + Long.hashCode(virtualHigh);
    h = 31 * h + Long.hashCode(virtualLow);
    if (engine != null) {
      h = 31 * h + engine.hashCode();
      for (int i = 0; i < dataLength; i++) {
        h = 31 * h + data[i];
      }
    }
    hash = h;
    return this;
  }

  /** An immutable copy to store. */
  ConnectionKey copy() {
    ConnectionKey k = new ConnectionKey();
    k.template = template;
    k.ipv6 = ipv6;
    k.protocol = protocol;
    k.clientPort = clientPort;
    k.virtualPort = virtualPort;
    k.clientHigh = clientHigh;
    k.clientLow = clientLow;
    k.virtualHigh = virtualHigh;
    k.virtualLow = virtualLow;
    k.engine = engine;
    k.dataLength = dataLength;
    k.data = engine == null ? null : Arrays.copyOf(data, dataLength);
    k.hash = hash;
    return k;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ConnectionKey k)) {
      return false;
    }
    if (hash != k.hash
        || template != k.template
        || ipv6 != k.ipv6
        || protocol != k.protocol
        || clientPort != k.clientPort
        || virtualPort != k.virtualPort
        || clientHigh != k.clientHigh
        || clientLow != k.clientLow
        || virtualHigh != k.virtualHigh
        || virtualLow != k.virtualLow) {
      return false;
    }
    if (engine == null || k.engine == null) {
      return engine == k.engine;
    }
    return engine.equals(k.engine) && Arrays.equals(data, 0, dataLength, k.data, 0, k.dataLength);
  }
}
