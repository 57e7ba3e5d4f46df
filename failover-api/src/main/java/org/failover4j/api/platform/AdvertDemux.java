package org.failover4j.api.platform;

import java.nio.ByteBuffer;
import org.failover4j.api.DropCounters;
import org.failover4j.api.IpProtocol;

/**
 * Hands each datagram of a shared protocol-112 socket to exactly one owner: VRRP adverts (also
 * behind AH) by version and VRID, CARP adverts by VHID, as {@link AdvertClassifier} tells them
 * apart. What no owner claims, or what is not an advert, is counted and dropped. Allocation-free;
 * used on the event loop.
 */
final class AdvertDemux implements AdvertSink {

  private static final int IDS = 256;
  private static final int VERSION_SHIFT = 4;
  private static final int ID_OFFSET = 1;

  /** Enough to hold version/type, the id and the byte CARP and VRRP differ in. */
  private static final int MIN_ADVERT = 4;

  private static final int AH_NEXT_HEADER = 0;
  private static final int AH_PAYLOAD_LENGTH = 1;
  private static final int AH_FIXED_LENGTH = 12;

  private final AdvertSink[] vrrp2 = new AdvertSink[IDS];
  private final AdvertSink[] vrrp3 = new AdvertSink[IDS];
  private final AdvertSink[] carp = new AdvertSink[IDS];
  private final DropCounters<AdvertDropReason> drops;
  private int claims;

  AdvertDemux(DropCounters<AdvertDropReason> drops) {
    this.drops = drops;
  }

  /** Claims {@code owner}'s adverts for {@code sink}; one owner per id, version and protocol. */
  void claim(AdvertOwner owner, AdvertSink sink) {
    AdvertSink[] table = table(owner);
    if (table[owner.id()] != null) {
      throw new IllegalStateException(owner + " is already claimed on this interface");
    }
    table[owner.id()] = sink;
    claims++;
  }

  /** Releases {@code owner}; returns true when no claim is left. */
  boolean release(AdvertOwner owner) {
    AdvertSink[] table = table(owner);
    if (table[owner.id()] != null) {
      table[owner.id()] = null;
      claims--;
    }
    return claims == 0;
  }

  private AdvertSink[] table(AdvertOwner owner) {
    if (owner.protocol() == AdvertProtocol.CARP) {
      return carp;
    }
    return owner.version() == 2 ? vrrp2 : vrrp3;
  }

  @Override
  public void received(ReceivedDatagram datagram) {
    if (datagram.isTruncated()) {
      drops.increment(AdvertDropReason.TRUNCATED_RECEIVE);
      return;
    }
    if (!datagram.hasValidIpHeader()) {
      drops.increment(AdvertDropReason.BAD_IP_HEADER);
      return;
    }
    ByteBuffer buffer = datagram.buffer();
    int at = datagram.payloadOffset();
    int length = datagram.payloadLength();
    boolean behindAh = datagram.protocol() == IpProtocol.AH;
    if (behindAh) {
      if (length < AH_FIXED_LENGTH || (buffer.get(at + AH_NEXT_HEADER) & 0xFF) != IpProtocol.VRRP) {
        drops.increment(AdvertDropReason.NOT_AN_ADVERT);
        return;
      }
      // RFC 4302: the AH length field counts 32-bit words minus 2.
      int ahLength = ((buffer.get(at + AH_PAYLOAD_LENGTH) & 0xFF) + 2) * 4;
      at += ahLength;
      length -= ahLength;
    } else if (datagram.protocol() != IpProtocol.VRRP) {
      drops.increment(AdvertDropReason.NOT_AN_ADVERT);
      return;
    }
    if (length < MIN_ADVERT) {
      drops.increment(AdvertDropReason.TOO_SHORT);
      return;
    }
    int id = buffer.get(at + ID_OFFSET) & 0xFF;
    if (!behindAh && AdvertClassifier.isCarp(buffer, at, length)) {
      deliver(carp[id], datagram, AdvertDropReason.UNCLAIMED_CARP);
      return;
    }
    int version = (buffer.get(at) & 0xFF) >>> VERSION_SHIFT;
    AdvertSink[] table = version == 3 ? vrrp3 : version == 2 ? vrrp2 : null;
    deliver(table == null ? null : table[id], datagram, AdvertDropReason.UNCLAIMED_VRRP);
  }

  private void deliver(AdvertSink sink, ReceivedDatagram datagram, AdvertDropReason unclaimed) {
    if (sink == null) {
      drops.increment(unclaimed);
    } else {
      sink.received(datagram);
    }
  }
}
