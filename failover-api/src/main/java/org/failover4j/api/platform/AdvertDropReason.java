package org.failover4j.api.platform;

import org.failover4j.api.DropReason;

/**
 * Why a shared advert socket dropped a datagram before any owner saw it, or could not send one.
 * Counted per platform; each owner counts what it drops itself.
 */
public enum AdvertDropReason implements DropReason {
  /**
   * The kernel dropped the datagram because the socket's receive queue was full (reported with
   * {@code SO_RXQ_OVFL}): the runtime read too slowly, typically under a flood.
   */
  RECEIVE_QUEUE_OVERFLOW,
  /** The datagram was larger than the receive buffer and was cut off. */
  TRUNCATED_RECEIVE,
  /** An IPv4 datagram whose header is missing or invalid. */
  BAD_IP_HEADER,
  /** Neither protocol 112 nor AH carrying protocol 112. */
  NOT_AN_ADVERT,
  /** Too short to tell its protocol, version and id. */
  TOO_SHORT,
  /** Protocol 112 that is neither a VRRP v2/v3 nor a CARP advert: garbage, or a flood of it. */
  NOT_VRRP_OR_CARP,
  /** A VRRP advert for a version and VRID nobody here runs. */
  UNCLAIMED_VRRP,
  /** A CARP advert for a VHID nobody here runs. */
  UNCLAIMED_CARP,
  /** A send found the socket's send buffer full: the advert was not sent. */
  SEND_BUFFER_FULL,
  /** The kernel refused a send (interface gone, no route, ...): the advert was not sent. */
  SEND_REFUSED,
  /**
   * An IPv6 advert's fixed source could not be bound: the address is tentative (duplicate address
   * detection, about a second after it is added) or not on the host. The advert was not sent; the
   * next one tries again.
   */
  SOURCE_UNAVAILABLE
}
