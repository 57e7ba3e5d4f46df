package org.failover4j.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;

/**
 * One IPVS connection or persistence template as the sync protocol describes it: what a master
 * sends and what a backup's {@link ConnectionTable} holds.
 *
 * <p>All three addresses are of one family. A master sends the sequence adjustments only when
 * {@link #flags()} has a sequence bit, as the kernel does; they are {@link SequenceAdjustment#NONE}
 * otherwise. A {@link Duration#ZERO} timeout in a sent entry tells the backup to use the protocol's
 * default; a backup's table always holds the timeout it applied.
 *
 * @param protocol the IP protocol number (6 TCP, 17 UDP, 132 SCTP, 0 for firewall-mark templates)
 * @param clientAddress the client's address
 * @param clientPort the client's port
 * @param virtualAddress the virtual service's address
 * @param virtualPort the virtual service's port
 * @param destinationAddress the real server's address
 * @param destinationPort the real server's port
 * @param flags the connection flags
 * @param state the protocol state number; see {@link #connectionState()}
 * @param firewallMark the firewall mark of the service (v1 only)
 * @param timeout how long the entry lives without a refresh, in whole seconds (v1 only)
 * @param inSequence the input-direction sequence adjustment
 * @param outSequence the output-direction sequence adjustment
 * @param persistence the persistence engine's data of a template, or null
 */
public record SyncConnection(
    int protocol,
    InetAddress clientAddress,
    int clientPort,
    InetAddress virtualAddress,
    int virtualPort,
    InetAddress destinationAddress,
    int destinationPort,
    ConnectionFlags flags,
    int state,
    int firewallMark,
    Duration timeout,
    SequenceAdjustment inSequence,
    SequenceAdjustment outSequence,
    PersistenceData persistence) {

  /** The largest timeout the 32-bit seconds field can carry. */
  public static final long MAX_TIMEOUT_SECONDS = 0xFFFFFFFFL;

  /**
   * Validates every component; see {@link Builder} for the ranges.
   *
   * @param protocol the IP protocol number, 0..255
   * @param clientAddress the client's address
   * @param clientPort the client's port
   * @param virtualAddress the virtual service's address
   * @param virtualPort the virtual service's port
   * @param destinationAddress the real server's address
   * @param destinationPort the real server's port
   * @param flags the IP_VS_CONN_F_* flag bits
   * @param state the state number, 0..65535, or a typed state
   * @param firewallMark the firewall mark
   * @param timeout the timeout, in whole seconds up to 2^32 - 1; 0 for the protocol's default
   * @param inSequence the inbound sequence adjustment
   * @param outSequence the outbound sequence adjustment
   * @param persistence the persistence engine's data, or null
   */
  public SyncConnection {
    InvalidConfigurationException.requireInRange("protocol", protocol, 0, 255);
    InvalidConfigurationException.requirePresent("clientAddress", clientAddress);
    InvalidConfigurationException.requirePresent("virtualAddress", virtualAddress);
    InvalidConfigurationException.requirePresent("destinationAddress", destinationAddress);
    boolean ipv6 = clientAddress instanceof Inet6Address;
    if ((virtualAddress instanceof Inet6Address) != ipv6) {
      throw new InvalidConfigurationException(
          "virtualAddress",
          "must be of the client address's family, was " + AddressText.of(virtualAddress));
    }
    if ((destinationAddress instanceof Inet6Address) != ipv6) {
      throw new InvalidConfigurationException(
          "destinationAddress",
          "must be of the client address's family, was " + AddressText.of(destinationAddress));
    }
    InvalidConfigurationException.requireInRange("clientPort", clientPort, 0, 0xFFFF);
    InvalidConfigurationException.requireInRange("virtualPort", virtualPort, 0, 0xFFFF);
    InvalidConfigurationException.requireInRange("destinationPort", destinationPort, 0, 0xFFFF);
    InvalidConfigurationException.requirePresent("flags", flags);
    InvalidConfigurationException.requireInRange("state", state, 0, 0xFFFF);
    InvalidConfigurationException.requirePresent("timeout", timeout);
    if (timeout.isNegative() || timeout.toSeconds() > MAX_TIMEOUT_SECONDS) {
      throw new InvalidConfigurationException(
          "timeout", "must be in 0.." + MAX_TIMEOUT_SECONDS + " s, was " + timeout);
    }
    InvalidConfigurationException.requirePresent("inSequence", inSequence);
    InvalidConfigurationException.requirePresent("outSequence", outSequence);
  }

  /** {@return the record's usual text, with addresses as {@code ip} prints them (RFC 5952)} */
  @Override
  public String toString() {
    return "SyncConnection[protocol="
        + protocol
        + ", clientAddress="
        + AddressText.of(clientAddress)
        + ", clientPort="
        + clientPort
        + ", virtualAddress="
        + AddressText.of(virtualAddress)
        + ", virtualPort="
        + virtualPort
        + ", destinationAddress="
        + AddressText.of(destinationAddress)
        + ", destinationPort="
        + destinationPort
        + ", flags="
        + flags
        + ", state="
        + state
        + ", firewallMark="
        + firewallMark
        + ", timeout="
        + timeout
        + ", inSequence="
        + inSequence
        + ", outSequence="
        + outSequence
        + ", persistence="
        + persistence
        + "]";
  }

  /** {@return a builder with the defaults listed on its setters} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this connection's values, to derive a changed copy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .protocol(protocol)
        .client(clientAddress, clientPort)
        .virtual(virtualAddress, virtualPort)
        .destination(destinationAddress, destinationPort)
        .flags(flags.raw())
        .state(state)
        .firewallMark(firewallMark)
        .timeout(timeout)
        .sequences(inSequence, outSequence)
        .persistence(persistence);
  }

  /** {@return true for IPv6 addresses} */
  public boolean ipv6() {
    return clientAddress instanceof Inet6Address;
  }

  /** {@return true for a persistence template} */
  public boolean isTemplate() {
    return flags.isTemplate();
  }

  /** {@return the state, typed by protocol} */
  public ConnectionState connectionState() {
    return ConnectionState.of(protocol, isTemplate(), state);
  }

  /** Builds a {@link SyncConnection}; {@link #build()} validates. */
  public static final class Builder {
    private int protocol = IpvsProtocol.TCP.number();
    private InetAddress clientAddress;
    private int clientPort;
    private InetAddress virtualAddress;
    private int virtualPort;
    private InetAddress destinationAddress;
    private int destinationPort;
    private int flags;
    private int state;
    private int firewallMark;
    private Duration timeout = Duration.ZERO;
    private SequenceAdjustment inSequence = SequenceAdjustment.NONE;
    private SequenceAdjustment outSequence = SequenceAdjustment.NONE;
    private PersistenceData persistence;

    private Builder() {}

    /**
     * The IP protocol number, 0..255; default 6 (TCP).
     *
     * @param protocol the IP protocol number, 0..255
     * @return this builder
     */
    public Builder protocol(int protocol) {
      this.protocol = protocol;
      return this;
    }

    /**
     * The client's address and port (required).
     *
     * @param address the address
     * @param port the port, 0..65535
     * @return this builder
     */
    public Builder client(InetAddress address, int port) {
      this.clientAddress = address;
      this.clientPort = port;
      return this;
    }

    /**
     * The virtual service's address and port (required).
     *
     * @param address the address
     * @param port the port, 0..65535
     * @return this builder
     */
    public Builder virtual(InetAddress address, int port) {
      this.virtualAddress = address;
      this.virtualPort = port;
      return this;
    }

    /**
     * The real server's address and port (required).
     *
     * @param address the address
     * @param port the port, 0..65535
     * @return this builder
     */
    public Builder destination(InetAddress address, int port) {
      this.destinationAddress = address;
      this.destinationPort = port;
      return this;
    }

    /**
     * The flags; default 0 (MASQ, active).
     *
     * @param flags the IP_VS_CONN_F_* flag bits
     * @return this builder
     */
    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    /**
     * The state number, 0..65535; default 0.
     *
     * @param state the state number, 0..65535, or a typed state
     * @return this builder
     */
    public Builder state(int state) {
      this.state = state;
      return this;
    }

    /**
     * The state.
     *
     * @param state the state number, 0..65535, or a typed state
     * @return this builder
     */
    public Builder state(ConnectionState state) {
      this.state = state.value();
      return this;
    }

    /**
     * The firewall mark; default 0.
     *
     * @param firewallMark the firewall mark
     * @return this builder
     */
    public Builder firewallMark(int firewallMark) {
      this.firewallMark = firewallMark;
      return this;
    }

    /**
     * The timeout in whole seconds, up to 2^32 - 1; default 0 (the protocol's default).
     *
     * @param timeout the timeout, in whole seconds up to 2^32 - 1; 0 for the protocol's default
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * The sequence adjustments; default {@link SequenceAdjustment#NONE} for both.
     *
     * @param in the inbound sequence adjustment
     * @param out the outbound sequence adjustment
     * @return this builder
     */
    public Builder sequences(SequenceAdjustment in, SequenceAdjustment out) {
      this.inSequence = in;
      this.outSequence = out;
      return this;
    }

    /**
     * The persistence engine's data; default none.
     *
     * @param persistence the persistence engine's data, or null
     * @return this builder
     */
    public Builder persistence(PersistenceData persistence) {
      this.persistence = persistence;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the connection
     */
    public SyncConnection build() {
      return new SyncConnection(
          protocol,
          clientAddress,
          clientPort,
          virtualAddress,
          virtualPort,
          destinationAddress,
          destinationPort,
          ConnectionFlags.of(flags),
          state,
          firewallMark,
          timeout,
          inSequence,
          outSequence,
          persistence);
    }
  }
}
