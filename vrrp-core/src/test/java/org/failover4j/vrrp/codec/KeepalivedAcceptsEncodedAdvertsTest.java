package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;
import org.junit.jupiter.api.Test;

/**
 * Frames the encoder writes, in keepalived's own eyes: a keepalived 2.2.7 backup receives a stream
 * of higher-priority adverts that {@link VrrpPacketEncoder} wrote and a raw socket sent, and stays
 * BACKUP without logging a single authentication or checksum complaint. The same stream under a
 * wrong key makes it complain and take over, so the check can fail.
 *
 * <p>The raw socket is netlink-jna's, with IP_HDRINCL: it sends each datagram exactly as written,
 * IPv4 header included, as keepalived itself sends.
 */
@Interop(peers = {"keepalived"})
class KeepalivedAcceptsEncodedAdvertsTest {

  private static final int ADVERTS = 6;
  private static final String VIP = "192.0.2.100";

  @Test
  void aKeepalivedBackupAcceptsAhAdvertsSentToTheGroup(Lab lab) throws Exception {
    Result result = run(lab, 2, "secret12", "secret12", false);
    result.assertAccepted();
  }

  @Test
  void aKeepalivedBackupAcceptsUnicastAhAdverts(Lab lab) throws Exception {
    Result result = run(lab, 2, "uni-key", "uni-key", true);
    result.assertAccepted();
  }

  @Test
  void aKeepalivedBackupAcceptsVrrpv3Adverts(Lab lab) throws Exception {
    Result result = run(lab, 3, null, null, false);
    result.assertAccepted();
  }

  @Test
  void underAWrongKeyKeepalivedComplainsAndTakesOver(Lab lab) throws Exception {
    Result result = run(lab, 2, "secret12", "guessed!", false);
    assertTrue(result.log.contains("IPSEC-AH : invalid IPSEC HMAC-MD5 value"), result.log);
    assertTrue(result.log.contains("Entering MASTER STATE"), result.log);
  }

  /** What keepalived logged while the encoder's adverts arrived. */
  private record Result(String log, List<String> rejections, int adverts) {
    void assertAccepted() {
      assertTrue(log.contains("(VI_1) Entering BACKUP STATE"), log);
      assertFalse(log.contains("Entering MASTER STATE"), "took over despite the adverts:\n" + log);
      assertEquals(List.of(), rejections, log);
      assertEquals(ADVERTS, adverts);
    }
  }

  private static Result run(
      Lab lab, int version, String keepalivedKey, String encoderKey, boolean unicast)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host kad = lab.host("kad", lan);
    Host java = lab.host("java", lan);
    InetAddress kadAddress = kad.ipv4(lan);
    InetAddress javaAddress = java.ipv4(lan);

    KeepalivedConfig config = new KeepalivedConfig("kad");
    KeepalivedConfig.Instance instance =
        config
            .instance("VI_1")
            .iface("eth0")
            .vrid(51)
            .priority(100)
            .version(version)
            .advertInterval(Duration.ofSeconds(1))
            .vip(VIP + "/24");
    if (keepalivedKey != null) {
      instance.authAh(keepalivedKey);
    }
    if (unicast) {
      instance.unicast(kadAddress.getHostAddress(), javaAddress.getHostAddress());
    }

    VrrpWireConfig.Builder wire =
        VrrpWireConfig.builder()
            .version(version)
            .vrid(51)
            .virtualAddresses(InetAddress.getByName(VIP));
    if (encoderKey != null) {
      wire.authentication(AuthType.IPSEC_AH, encoderKey);
    }
    if (unicast) {
      wire.unicastPeers(List.of(kadAddress));
    }
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(wire.build());
    AhSequenceCounter counter = new AhSequenceCounter();
    int source = ByteBuffer.wrap(javaAddress.getAddress()).getInt();
    int destination =
        unicast
            ? ByteBuffer.wrap(kadAddress.getAddress()).getInt()
            : org.failover4j.api.Ipv4Header.ADVERT_GROUP;
    int ifindex = java.ifindex(java.iface(lan));
    IpDestination to = IpDestination.of(unicast ? kadAddress : InetAddress.getByName("224.0.0.18"));
    RawIpSocket socket =
        java.call(
            () -> {
              RawIpSocket raw = RawIpSocket.open(StandardProtocolFamily.INET, 112);
              raw.setOption(RawSocketOption.HEADER_INCLUDED, true);
              raw.setOption(RawSocketOption.MULTICAST_INTERFACE, ifindex);
              return raw;
            });
    try (socket;
        Keepalived keepalived = Keepalived.start(kad, config)) {
      keepalived.awaitState("VI_1", "BACKUP", Duration.ofSeconds(15));
      // Six adverts over five seconds: longer than the 3.6 s after which a backup that heard
      // nothing it accepts takes over.
      ByteBuffer packet = ByteBuffer.allocateDirect(encoder.ipv4Length());
      int sent = 0;
      for (int id = 1; id <= ADVERTS; id++) {
        packet.clear();
        encoder.encodeIpv4(packet, 0, 200, source, destination, id, counter.nextForSend());
        sent += socket.send(packet, to) > 0 ? 1 : 0;
        Thread.sleep(1_000);
      }
      return new Result(keepalived.log(), keepalived.rejections(), sent);
    }
  }
}
