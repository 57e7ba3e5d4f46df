package org.failover4j.ipvs;

/**
 * The state of a synced connection, typed by protocol: {@link TcpState}, {@link UdpState}, {@link
 * SctpState}, {@link TemplateState} for persistence templates, and {@link UnknownState} for any
 * value without a name (out of range, or a protocol without named states such as AH and ESP), which
 * keeps the raw number.
 */
public sealed interface ConnectionState
    permits TcpState, UdpState, SctpState, TemplateState, UnknownState {

  /** The state's number on the wire. */
  int value();

  /** The kernel's name for the state, such as {@code ESTABLISHED}. */
  String name();

  /** Types {@code value} for an entry of IP protocol {@code protocol}. */
  static ConnectionState of(int protocol, boolean template, int value) {
    if (template) {
      return value < TemplateState.values().length
          ? TemplateState.values()[value]
          : new UnknownState(value);
    }
    if (protocol == IpvsProtocol.TCP.number() && value < TcpState.values().length) {
      return TcpState.values()[value];
    }
    if (protocol == IpvsProtocol.UDP.number() && value < UdpState.values().length) {
      return UdpState.values()[value];
    }
    if (protocol == IpvsProtocol.SCTP.number() && value < SctpState.values().length) {
      return SctpState.values()[value];
    }
    return new UnknownState(value);
  }
}
