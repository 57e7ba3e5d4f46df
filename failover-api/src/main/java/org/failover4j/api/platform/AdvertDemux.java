package org.failover4j.api.platform;

import java.nio.ByteBuffer;
import org.failover4j.api.DropCounters;
import org.failover4j.api.IpProtocol;

/**
 * Hands each datagram of a shared protocol-112 socket to exactly one owner: VRRP adverts (also
 * behind AH) by version and VRID (or, when no instance speaks that version there, to the one that
 * runs the VRID in the other version, which drops it as a version mismatch), CARP adverts by VHID,
 * as {@link AdvertClassifier} tells them apart. What no owner claims, or what is not an advert, is
 * counted and dropped. Allocation-free; used on the event loop.
 */
final class AdvertDemux implements AdvertSink {

  private static final int IDS = 256;
  private static final int VERSION_SHIFT = 4;
  private static final int ID_OFFSET = 1;

  /** Enough to hold version/type, the id and the byte CARP and VRRP differ in. */
  private static final int MIN_ADVERT = 4;

  private static final int AH_NEXT_HEADER = 0;
  private static final int AH_PAYLOAD_LENGTH = 1;
  private static final int AH_LENGTH = 24;

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
      // Only the AH keepalived sends: HMAC-MD5-96, so 24 bytes (length field 4, RFC 4302's words
      // minus 2), carrying VRRP; the VRRP decoder skips exactly that much.
      if (length < AH_LENGTH
          || (buffer.get(at + AH_NEXT_HEADER) & 0xFF) != IpProtocol.VRRP
          || (buffer.get(at + AH_PAYLOAD_LENGTH) & 0xFF) != AH_LENGTH / 4 - 2) {
        drops.increment(AdvertDropReason.NOT_AN_ADVERT);
        return;
      }
      int ahLength = AH_LENGTH;
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
    AdvertSink owner = version == 3 ? vrrp3[id] : version == 2 ? vrrp2[id] : null;
    if (owner == null) {
      // No instance speaks this version on this VRID, but one may speak the other: it counts the
      // advert as a version mismatch, as keepalived's statistics would.
      owner = vrrp3[id] != null ? vrrp3[id] : vrrp2[id];
    }
    // Neither VRRP nor CARP and nobody here to count it as a version error: garbage, not an
    // advert for someone else.
    boolean vrrp = version == 2 || version == 3;
    deliver(
        owner,
        datagram,
        vrrp ? AdvertDropReason.UNCLAIMED_VRRP : AdvertDropReason.NOT_VRRP_OR_CARP);
  }

  private void deliver(AdvertSink sink, ReceivedDatagram datagram, AdvertDropReason unclaimed) {
    if (sink == null) {
      drops.increment(unclaimed);
    } else {
      sink.received(datagram);
    }
  }
}
