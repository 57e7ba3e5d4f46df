package org.failover4j.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;

/**
 * The settings of an IPVS sync master and backup, with the kernel's defaults: group 224.0.0.81,
 * port 8848, TTL 1, v1 messages of at most 1472 bytes (1452 over IPv6), a full message sent within
 * 20 ms and a partial one after 2 s. Immutable; build with {@link #builder()}.
 */
public final class SyncConfig {

  /** The kernel's default group, 224.0.0.81 ({@code IP_VS_SYNC_GROUP}). */
  public static final InetAddress DEFAULT_GROUP = ipv4(224, 0, 0, 81);

  /** The kernel's default port ({@code IP_VS_SYNC_PORT}). */
  public static final int DEFAULT_PORT = 8848;

  /** A full message waits at most this long ({@code IPVS_SYNC_SEND_DELAY}, HZ/50). */
  public static final Duration DEFAULT_SEND_DELAY = Duration.ofMillis(20);

  /** A partial message waits at most this long ({@code IPVS_SYNC_FLUSH_TIME}, 2 s). */
  public static final Duration DEFAULT_FLUSH_PERIOD = Duration.ofSeconds(2);

  /** This many full messages are sent at once ({@code IPVS_SYNC_WAKEUP_RATE}). */
  public static final int DEFAULT_WAKEUP_BATCH = 8;

  /** The smallest message size allowed: the largest possible v1 entry and its header. */
  public static final int MIN_MESSAGE_SIZE =
      SyncWire.MAX_V1_ENTRY_LENGTH + SyncWire.V1_HEADER_LENGTH;

  private final InetAddress group;
  private final int port;
  private final NetworkInterface networkInterface;
  private final int syncId;
  private final SyncVersion version;
  private final ByteOrder v0SequenceOrder;
  private final int maxMessageSize;
  private final int ttl;
  private final Duration sendDelay;
  private final Duration flushPeriod;
  private final int wakeupBatch;
  private final int receiveBufferSize;
  private final List<String> persistenceEngines;

  private SyncConfig(Builder b) {
    this.group = b.group;
    this.port = b.port;
    this.networkInterface = b.networkInterface;
    this.syncId = b.syncId;
    this.version = b.version;
    this.v0SequenceOrder = b.v0SequenceOrder;
    this.maxMessageSize = b.maxMessageSize != 0 ? b.maxMessageSize : defaultMessageSize(b.group);
    this.ttl = b.ttl;
    this.sendDelay = b.sendDelay;
    this.flushPeriod = b.flushPeriod;
    this.wakeupBatch = b.wakeupBatch;
    this.receiveBufferSize = b.receiveBufferSize;
    this.persistenceEngines = List.copyOf(b.persistenceEngines);
  }

  /** {@return a builder with the kernel's defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the multicast group} */
  public InetAddress group() {
    return group;
  }

  /** {@return true when the group is IPv6} */
  public boolean ipv6() {
    return group instanceof Inet6Address;
  }

  /** {@return the UDP port} */
  public int port() {
    return port;
  }

  /** {@return the interface to join and send on, or null when not set} */
  public NetworkInterface networkInterface() {
    return networkInterface;
  }

  /**
   * {@return the syncid a master sends; a backup with a syncid other than 0 drops other syncids}
   */
  public int syncId() {
    return syncId;
  }

  /** {@return the version a master sends; a backup reads both} */
  public SyncVersion version() {
    return version;
  }

  /** {@return the byte order of v0 sequence blocks, sent and received} */
  public ByteOrder v0SequenceOrder() {
    return v0SequenceOrder;
  }

  /** {@return the largest message a master sends, UDP payload bytes} */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** {@return the multicast TTL or hop limit} */
  public int ttl() {
    return ttl;
  }

  /** {@return how long a full message may wait before it is sent} */
  public Duration sendDelay() {
    return sendDelay;
  }

  /** {@return how long a partial message may wait before it is sent} */
  public Duration flushPeriod() {
    return flushPeriod;
  }

  /** {@return how many full messages may queue before they are sent without waiting} */
  public int wakeupBatch() {
    return wakeupBatch;
  }

  /** {@return the receive socket's buffer size in bytes, or 0 for the system default} */
  public int receiveBufferSize() {
    return receiveBufferSize;
  }

  /** {@return the persistence engines a backup accepts data for} */
  public List<String> persistenceEngines() {
    return persistenceEngines;
  }

  /** {@return a reader with this backup's syncid filter, v0 byte order and engines} */
  public SyncMessageReader newReader() {
    return new SyncMessageReader(syncId, v0SequenceOrder, persistenceEngines);
  }

  /** {@return a writer of this master's version and v0 byte order} */
  public SyncMessageWriter newWriter() {
    return new SyncMessageWriter(version, v0SequenceOrder);
  }

  private static int defaultMessageSize(InetAddress group) {
    int headers =
        group instanceof Inet6Address ? SyncWire.IPV6_UDP_HEADERS : SyncWire.IPV4_UDP_HEADERS;
    return SyncWire.MASTER_MTU - headers;
  }

  private static InetAddress ipv4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SyncConfig[group="
        + AddressText.of(group)
        + ", port="
        + port
        + ", interface="
        + (networkInterface == null ? "unset" : networkInterface.getName())
        + ", syncId="
        + syncId
        + ", version="
        + version
        + ", maxMessageSize="
        + maxMessageSize
        + "]";
  }

  /** Builds a {@link SyncConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private InetAddress group = DEFAULT_GROUP;
    private int port = DEFAULT_PORT;
    private NetworkInterface networkInterface;
    private int syncId;
    private SyncVersion version = SyncVersion.V1;
    private ByteOrder v0SequenceOrder = ByteOrder.LITTLE_ENDIAN;
    private int maxMessageSize;
    private int ttl = 1;
    private Duration sendDelay = DEFAULT_SEND_DELAY;
    private Duration flushPeriod = DEFAULT_FLUSH_PERIOD;
    private int wakeupBatch = DEFAULT_WAKEUP_BATCH;
    private int receiveBufferSize;
    private List<String> persistenceEngines = SyncMessageReader.DEFAULT_PERSISTENCE_ENGINES;

    private Builder() {}

    /**
     * The multicast group, IPv4 or IPv6; default 224.0.0.81.
     *
     * @param group the multicast group
     * @return this builder
     */
    public Builder group(InetAddress group) {
      this.group = group;
      return this;
    }

    /**
     * The UDP port, 1..65535; default 8848.
     *
     * @param port the UDP port
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The interface to join the group and send on; the channel requires it.
     *
     * @param networkInterface the interface
     * @return this builder
     */
    public Builder networkInterface(NetworkInterface networkInterface) {
      this.networkInterface = networkInterface;
      return this;
    }

    /**
     * The syncid, 0..255; default 0 (a backup with 0 accepts every syncid).
     *
     * @param syncId the syncid
     * @return this builder
     */
    public Builder syncId(int syncId) {
      this.syncId = syncId;
      return this;
    }

    /**
     * The version a master sends; default {@link SyncVersion#V1}.
     *
     * @param version the version
     * @return this builder
     */
    public Builder version(SyncVersion version) {
      this.version = version;
      return this;
    }

    /**
     * The byte order of v0 sequence blocks; default little-endian, as x86 kernels send.
     *
     * @param order the byte order
     * @return this builder
     */
    public Builder v0SequenceOrder(ByteOrder order) {
      this.v0SequenceOrder = order;
      return this;
    }

    /**
     * The largest message a master sends; default 1472 over IPv4 and 1452 over IPv6 (a 1500-byte
     * MTU, as the kernel). From {@link #MIN_MESSAGE_SIZE} to 65535 minus the IP and UDP headers.
     *
     * @param maxMessageSize the size in bytes
     * @return this builder
     */
    public Builder maxMessageSize(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
      return this;
    }

    /**
     * The multicast TTL, 1..255; default 1.
     *
     * @param ttl the TTL or hop limit
     * @return this builder
     */
    public Builder ttl(int ttl) {
      this.ttl = ttl;
      return this;
    }

    /**
     * How long a full message may wait, 0..10 s; default 20 ms.
     *
     * @param sendDelay the delay
     * @return this builder
     */
    public Builder sendDelay(Duration sendDelay) {
      this.sendDelay = sendDelay;
      return this;
    }

    /**
     * How long a partial message may wait, 1 ms..1 h; default 2 s.
     *
     * @param flushPeriod the period
     * @return this builder
     */
    public Builder flushPeriod(Duration flushPeriod) {
      this.flushPeriod = flushPeriod;
      return this;
    }

    /**
     * How many full messages may queue before they go out at once, 1..64; default 8.
     *
     * @param wakeupBatch the number of messages
     * @return this builder
     */
    public Builder wakeupBatch(int wakeupBatch) {
      this.wakeupBatch = wakeupBatch;
      return this;
    }

    /**
     * The receive buffer in bytes, 0 for the system default (as the kernel's sync_sock_size).
     *
     * @param receiveBufferSize the size in bytes, or 0
     * @return this builder
     */
    public Builder receiveBufferSize(int receiveBufferSize) {
      this.receiveBufferSize = receiveBufferSize;
      return this;
    }

    /**
     * The persistence engines a backup accepts; default {@code ["sip"]}.
     *
     * @param engines the engine names
     * @return this builder
     */
    public Builder persistenceEngines(List<String> engines) {
      this.persistenceEngines = engines;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the settings
     */
    public SyncConfig build() {
      InvalidConfigurationException.requirePresent("group", group);
      if (!group.isMulticastAddress()) {
        throw new InvalidConfigurationException(
            "group", "must be a multicast address, was " + AddressText.of(group));
      }
      InvalidConfigurationException.requireInRange("port", port, 1, 0xFFFF);
      InvalidConfigurationException.requireInRange("syncId", syncId, 0, 255);
      InvalidConfigurationException.requirePresent("version", version);
      InvalidConfigurationException.requirePresent("v0SequenceOrder", v0SequenceOrder);
      if (maxMessageSize != 0) {
        int headers =
            group instanceof Inet6Address ? SyncWire.IPV6_UDP_HEADERS : SyncWire.IPV4_UDP_HEADERS;
        InvalidConfigurationException.requireInRange(
            "maxMessageSize", maxMessageSize, MIN_MESSAGE_SIZE, 0xFFFF - headers);
      }
      InvalidConfigurationException.requireInRange("ttl", ttl, 1, 255);
      requireDuration("sendDelay", sendDelay, Duration.ZERO, Duration.ofSeconds(10));
      requireDuration("flushPeriod", flushPeriod, Duration.ofMillis(1), Duration.ofHours(1));
      InvalidConfigurationException.requireInRange("wakeupBatch", wakeupBatch, 1, 64);
      InvalidConfigurationException.requireInRange(
          "receiveBufferSize", receiveBufferSize, 0, Integer.MAX_VALUE);
      InvalidConfigurationException.requirePresent("persistenceEngines", persistenceEngines);
      for (String engine : persistenceEngines) {
        InvalidConfigurationException.requirePresent("persistenceEngines element", engine);
        try {
          // PersistenceData validates a name the way the wire needs it.
          new PersistenceData(engine, new byte[1]);
        } catch (InvalidConfigurationException e) {
          throw new InvalidConfigurationException("persistenceEngines", e.getMessage());
        }
      }
      return new SyncConfig(this);
    }

    private static void requireDuration(String field, Duration value, Duration min, Duration max) {
      InvalidConfigurationException.requirePresent(field, value);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new InvalidConfigurationException(
            field, "must be in " + min + ".." + max + ", was " + value);
      }
    }
  }
}
