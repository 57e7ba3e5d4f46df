package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.capture.LinkType;

/**
 * The frames of one LAN that the bench times, read from a capture on its bridge: VRRP adverts and
 * the announcements (gratuitous ARP, unsolicited neighbour advertisements) of virtual addresses.
 * Each carries the sender's MAC, and an advert its priority, from which {@link Senders} tells the
 * two hosts apart for IPv4 and IPv6 alike, with or without virtual MACs.
 */
public final class BridgeTrace {

  private static final int ETHERTYPE_ARP = 0x0806;
  private static final int ICMPV6 = 58;
  private static final int NEIGHBOR_ADVERTISEMENT = 136;

  /** A VRRP advert. */
  public record Advert(long micros, String mac, int vrid, int priority) {}

  /** A gratuitous ARP or unsolicited NA for {@code address}. */
  public record Announcement(long micros, String mac, String address) {}

  private final List<Advert> adverts;
  private final List<Announcement> announcements;
  private final Map<Integer, List<Advert>> advertsByVrid = new HashMap<>();
  private final Map<String, List<Announcement>> announcementsByAddress = new HashMap<>();

  BridgeTrace(List<Advert> adverts, List<Announcement> announcements) {
    this.adverts = adverts;
    this.announcements = announcements;
    for (Advert a : adverts) {
      advertsByVrid.computeIfAbsent(a.vrid(), v -> new ArrayList<>()).add(a);
    }
    for (Announcement n : announcements) {
      announcementsByAddress.computeIfAbsent(n.address(), v -> new ArrayList<>()).add(n);
    }
  }

  /** Every advert, in capture order. */
  public List<Advert> adverts() {
    return adverts;
  }

  /** The adverts of VRID {@code vrid}, in capture order. */
  public List<Advert> advertsOf(int vrid) {
    return advertsByVrid.getOrDefault(vrid, List.of());
  }

  /** The announcements of {@code address} (canonical text), in capture order. */
  public List<Announcement> announcementsOf(String address) {
    return announcementsByAddress.getOrDefault(address, List.of());
  }

  /** Every announcement, in capture order. */
  public List<Announcement> announcements() {
    return announcements;
  }

  /** Reads a pcap or pcapng file of Ethernet frames. */
  public static BridgeTrace read(Path file) throws IOException {
    List<Advert> adverts = new ArrayList<>();
    List<Announcement> announcements = new ArrayList<>();
    IpPacket ip = new IpPacket();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        if (frame.linkType() != LinkType.ETHERNET.code() || frame.capturedLength() < 14) {
          continue;
        }
        ByteBuffer data = frame.data();
        long micros = micros(frame.timestamp());
        String mac = mac(data, 6);
        int ethertype = data.getShort(12) & 0xFFFF;
        if (ethertype == ETHERTYPE_ARP && frame.capturedLength() >= 14 + 28) {
          // The sender protocol address of an ARP for IPv4 over Ethernet.
          announcements.add(new Announcement(micros, mac, address(data, 14 + 14, 4)));
        } else if (ip.wrapFrame(frame)) {
          int p = ip.payloadOffset();
          int length = ip.payloadLength();
          ByteBuffer b = ip.buffer();
          if (ip.protocol() == org.failover4j.api.IpProtocol.VRRP && length >= 8) {
            adverts.add(new Advert(micros, mac, b.get(p + 1) & 0xFF, b.get(p + 2) & 0xFF));
          } else if (ip.protocol() == ICMPV6
              && length >= 24
              && (b.get(p) & 0xFF) == NEIGHBOR_ADVERTISEMENT) {
            announcements.add(new Announcement(micros, mac, address(b, p + 8, 16)));
          }
        }
      }
    }
    return new BridgeTrace(adverts, announcements);
  }

  /**
   * The canonical text of an address literal, as {@link InetAddress#getHostAddress()} writes it.
   */
  static String normalize(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + literal, e);
    }
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private static String mac(ByteBuffer data, int offset) {
    StringBuilder s = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        s.append(':');
      }
      s.append(String.format("%02x", data.get(offset + i) & 0xFF));
    }
    return s.toString();
  }

  private static String address(ByteBuffer data, int offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = data.get(offset + i);
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + Arrays.toString(bytes), e);
    }
  }
}
