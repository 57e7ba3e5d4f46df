package org.failover4j.examples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.failover4j.api.AddressText;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.capture.LinkType;
import org.failover4j.capture.PcapWriter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.VrrpAdvertValidator;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;

/**
 * Why did my router ignore that advert? Reads a capture with the decode API ({@link CaptureReader},
 * {@link IpPacket}, {@link VrrpPacketDecoder}) and runs each VRRP advert through the same {@link
 * VrrpAdvertValidator} the runtime uses, in keepalived's order, printing the reason it would drop.
 *
 * <p>With a file ({@code capture.pcap [VRID [PASSWORD]]}, from {@code tcpdump -w} on a real
 * interface): checks against a VRRPv2 instance with that VRID and password, virtual address
 * 192.0.2.100. Without: writes a small capture first, with one good advert and four bad ones.
 */
public final class RejectedAdverts {

  private RejectedAdverts() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [CAPTURE [VRID [PASSWORD]]]}
   * @throws Exception when the capture cannot be read
   */
  public static void run(PrintStream out, String... args) throws Exception {
    int vrid = args.length > 1 ? Integer.parseInt(args[1]) : 51;
    String password = args.length > 2 ? args[2] : "secret";
    VrrpWireConfig mine = wire(vrid, password, 255, "192.0.2.100");
    VrrpAdvertValidator validator = new VrrpAdvertValidator(mine, null);
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    IpPacket packet = new IpPacket();
    try (InputStream in = args.length > 0 ? Files.newInputStream(Path.of(args[0])) : sample();
        CaptureReader capture = CaptureReader.open(in)) {
      for (CapturedFrame frame = capture.next(); frame != null; frame = capture.next()) {
        if (!packet.wrapFrame(frame) || packet.protocol() != IpProtocol.VRRP) {
          continue; // not IP, or not VRRP (AH-protected adverts need the key: see the cli's decode)
        }
        String verdict;
        try {
          VrrpDropReason reason = validator.validate(decoder.wrap(packet));
          verdict = reason == null ? "accepted" : "rejected: " + reason;
        } catch (MalformedPacketException e) {
          verdict = "malformed: " + e.reason();
        }
        out.printf(
            "frame %d from %s vrid %d prio %d ttl %d: %s%n",
            frame.number(),
            AddressText.of(packet.source()),
            decoder.advert().vrid(),
            decoder.advert().priority(),
            packet.ttl(),
            verdict);
      }
    }
  }

  private static VrrpWireConfig wire(int vrid, String password, int ttl, String vip)
      throws Exception {
    return VrrpWireConfig.builder()
        .version(2)
        .vrid(vrid)
        .virtualAddresses(InetAddress.getByName(vip))
        .authentication(AuthType.SIMPLE_TEXT, password)
        .ttl(ttl)
        .build();
  }

  /** A capture of five adverts, as tcpdump would have written it. */
  private static InputStream sample() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (PcapWriter writer = new PcapWriter(file, LinkType.RAW)) {
      write(writer, wire(51, "secret", 255, "192.0.2.100"), 1); // good
      write(writer, wire(51, "guessed", 255, "192.0.2.100"), 2); // wrong password
      write(writer, wire(51, "secret", 64, "192.0.2.100"), 3); // forwarded: not from this link
      write(writer, wire(51, "secret", 255, "192.0.2.200"), 4); // other virtual address
      write(writer, wire(52, "secret", 255, "192.0.2.100"), 5); // another router's VRID
    }
    return new ByteArrayInputStream(file.toByteArray());
  }

  private static void write(PcapWriter writer, VrrpWireConfig sender, int host) throws Exception {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(sender);
    ByteBuffer datagram = ByteBuffer.allocate(encoder.ipv4Length());
    int source = 0xc0000200 | host; // 192.0.2.host
    int length = encoder.encodeIpv4(datagram, 0, 100 + host, source, 0xe0000012, host, 0);
    writer.write(Instant.ofEpochSecond(1_700_000_000L + host), datagram.limit(length));
  }
}
