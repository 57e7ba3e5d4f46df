package org.failover4j.ipvs;

/**
 * The state of a synced connection, typed by protocol: {@link TcpState}, {@link UdpState}, {@link
 * SctpState}, {@link TemplateState} for persistence templates, and {@link UnknownState} for any
 * value without a name (out of range, or a protocol without named states such as AH and ESP), which
 * keeps the raw number.
 */
public sealed interface ConnectionState
    permits TcpState, UdpState, SctpState, TemplateState, UnknownState {

  /** {@return the state's number on the wire} */
  int value();

  /** {@return the kernel's name for the state, such as {@code ESTABLISHED}} */
  String name();

  /**
   * Types {@code value} for an entry of IP protocol {@code protocol}.
   *
   * @param protocol the entry's IP protocol
   * @param template true for a persistence template
   * @param value the state number
   * @return the typed state
   */
  static ConnectionState of(int protocol, boolean template, int value) {
    ConnectionState named;
    if (template) {
      named = TemplateState.of(value);
    } else if (protocol == IpvsProtocol.TCP.number()) {
      named = TcpState.of(value);
    } else if (protocol == IpvsProtocol.UDP.number()) {
      named = UdpState.of(value);
    } else if (protocol == IpvsProtocol.SCTP.number()) {
      named = SctpState.of(value);
    } else {
      named = null;
    }
    return named != null ? named : new UnknownState(value);
  }
}
