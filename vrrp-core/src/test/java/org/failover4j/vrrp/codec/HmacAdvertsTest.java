package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signed adverts from {@link VrrpPacketEncoder} through {@link VrrpPacketDecoder} and {@link
 * VrrpAdvertValidator}: v2 and v3, IPv4 and IPv6, multicast and unicast, every mode and every
 * rejection keepalived 2.4.3 makes.
 */
class HmacAdvertsTest {

  static final String KEY_1 =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String KEY_2 = "a second key, 32 bytes or longer!";
  private static final long SECOND = 1_000_000_000L;
  private static final long NOW = 1_796_641_170L * SECOND;

  /** One sending or receiving end: its wire config, encoder and validator. */
  static final class End {
    final VrrpWireConfig config;
    final VrrpPacketEncoder encoder;
    final HmacReplayGuard guard;
    final VrrpAdvertValidator validator;
    final byte[] source;
    final byte[] destination;
    final VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    final ByteBuffer packet = ByteBuffer.allocateDirect(2048);
    int length;

    End(VrrpWireConfig config, String source, String destination) throws Exception {
      this.config = config;
      this.encoder = new VrrpPacketEncoder(config);
      HmacAuthentication hmac = config.hmacAuthentication();
      this.guard =
          hmac == null
              ? null
              : new HmacReplayGuard(
                  hmac, config.intervalCentiseconds(), config.unicastPeers().size());
      this.validator = new VrrpAdvertValidator(config, null, guard);
      this.source = InetAddress.getByName(source).getAddress();
      this.destination = InetAddress.getByName(destination).getAddress();
    }

    /** Writes one advert as sent at {@code wallNanos}. */
    End send(int priority, long wallNanos) {
      long sequence = encoder.signsHmac() ? guard.nextSendSequence(wallNanos) : 0;
      if (config.family() == IpFamily.IPV4) {
        length =
            encoder.encodeIpv4(
                packet,
                0,
                priority,
                ByteBuffer.wrap(source).getInt(),
                ByteBuffer.wrap(destination).getInt(),
                1,
                0,
                sequence);
      } else {
        length = encoder.encodeIpv6(packet, 0, priority, source, destination, sequence);
      }
      return this;
    }

    /** {@return what {@code receiver} makes of the last advert at {@code wallNanos}} */
    VrrpDropReason deliverTo(End receiver, long wallNanos) {
      VrrpPacketDecoder d = receiver.decoder;
      if (config.family() == IpFamily.IPV4) {
        d.wrapIpv4(packet, 0, length);
      } else {
        d.wrapIpv6(packet, 0, length, source, destination, 255);
      }
      return receiver.validator.validate(d, true, wallNanos);
    }
  }

  static HmacAuthentication hmac(HmacMode mode, String... keys) {
    HmacAuthentication.Builder b = HmacAuthentication.builder().mode(mode);
    for (int i = 0; i < keys.length; i++) {
      b.key(i + 1, keys[i]);
    }
    return b.activeKey(1).build();
  }

  static VrrpWireConfig config(String kind, HmacAuthentication hmac, String... peers)
      throws Exception {
    boolean ipv6 = kind.endsWith("ipv6");
    VrrpWireConfig.Builder b =
        VrrpWireConfig.builder()
            .version(kind.startsWith("v2") ? 2 : 3)
            .vrid(51)
            .interval(Duration.ofSeconds(1))
            .virtualAddresses(
                InetAddress.getByName(ipv6 ? "2001:db8::100" : "192.0.2.100"),
                InetAddress.getByName(ipv6 ? "2001:db8::101" : "192.0.2.101"))
            .hmacAuthentication(hmac);
    if (peers.length > 0) {
      InetAddress[] addresses = new InetAddress[peers.length];
      for (int i = 0; i < peers.length; i++) {
        addresses[i] = InetAddress.getByName(peers[i]);
      }
      b.unicastPeers(List.of(addresses));
    }
    return b.build();
  }

  private static End[] pair(
      String kind, boolean unicast, HmacAuthentication send, HmacAuthentication receive)
      throws Exception {
    boolean ipv6 = kind.endsWith("ipv6");
    String a = ipv6 ? "fe80::10" : "192.0.2.10";
    String b = ipv6 ? "fe80::20" : "192.0.2.20";
    String group = ipv6 ? "ff02::12" : "224.0.0.18";
    End sender =
        new End(unicast ? config(kind, send, b) : config(kind, send), a, unicast ? b : group);
    End receiver =
        new End(unicast ? config(kind, receive, a) : config(kind, receive), b, unicast ? a : group);
    return new End[] {sender, receiver};
  }

  @ParameterizedTest(name = "{0}, unicast {1}")
  @CsvSource({
    "v2-ipv4, false",
    "v2-ipv4, true",
    "v3-ipv4, false",
    "v3-ipv4, true",
    "v3-ipv6, false",
    "v3-ipv6, true"
  })
  void signedAdvertsVerifyOnceAndOnlyWhileFresh(String kind, boolean unicast) throws Exception {
    HmacAuthentication both = hmac(HmacMode.ENFORCE, KEY_1, KEY_2);
    End[] ends = pair(kind, unicast, both, both);
    End sender = ends[0];
    End receiver = ends[1];
    sender.send(100, NOW);
    assertEquals(
        sender.encoder.advertLength() + HmacTrailer.LENGTH + (kind.endsWith("ipv6") ? 0 : 20),
        sender.length);
    assertNull(sender.deliverTo(receiver, NOW));
    assertEquals(VrrpDropReason.HMAC_REPLAYED, sender.deliverTo(receiver, NOW));
    assertNull(sender.send(100, NOW).deliverTo(receiver, NOW), "same instant, counter + 1");
    assertEquals(
        VrrpDropReason.HMAC_STALE, sender.send(100, NOW).deliverTo(receiver, NOW + 6 * SECOND));
    assertNull(sender.send(100, NOW + SECOND).deliverTo(receiver, NOW + 4 * SECOND));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"v2-ipv4", "v3-ipv4", "v3-ipv6"})
  void wrongAndUnknownKeysAreRefused(String kind) throws Exception {
    End[] wrong = pair(kind, false, hmac(HmacMode.ENFORCE, KEY_1), hmac(HmacMode.ENFORCE, KEY_2));
    assertEquals(VrrpDropReason.HMAC_BAD, wrong[0].send(100, NOW).deliverTo(wrong[1], NOW));
    HmacAuthentication key2Active =
        HmacAuthentication.builder().key(1, KEY_1).key(2, KEY_2).activeKey(2).build();
    End[] unknown = pair(kind, false, key2Active, hmac(HmacMode.ENFORCE, KEY_1));
    assertEquals(
        VrrpDropReason.HMAC_UNKNOWN_KEY, unknown[0].send(100, NOW).deliverTo(unknown[1], NOW));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"v2-ipv4", "v3-ipv4", "v3-ipv6"})
  void modesDecideWhatIsSentAndWhatIsAccepted(String kind) throws Exception {
    End[] plain = pair(kind, false, null, hmac(HmacMode.ENFORCE, KEY_1));
    assertEquals(VrrpDropReason.HMAC_MISSING, plain[0].send(100, NOW).deliverTo(plain[1], NOW));
    for (HmacMode lenient : new HmacMode[] {HmacMode.PERMISSIVE, HmacMode.RECEIVE_ONLY}) {
      End[] migrating = pair(kind, false, null, hmac(lenient, KEY_1));
      assertNull(migrating[0].send(100, NOW).deliverTo(migrating[1], NOW), lenient.toString());
      // Lenient about a missing trailer, never about a bad one.
      End[] forged = pair(kind, false, hmac(HmacMode.ENFORCE, KEY_2), hmac(lenient, KEY_1));
      assertEquals(VrrpDropReason.HMAC_BAD, forged[0].send(100, NOW).deliverTo(forged[1], NOW));
    }
    End[] receiveOnly = pair(kind, false, hmac(HmacMode.RECEIVE_ONLY, KEY_1), null);
    receiveOnly[0].send(100, NOW);
    assertEquals(plainLength(receiveOnly[0].encoder, kind), receiveOnly[0].length);
    assertNull(receiveOnly[0].deliverTo(receiveOnly[1], NOW), "nothing changes on the wire");
    // As keepalived: an instance without auth_hmac refuses a trailer by its length.
    End[] unaware = pair(kind, false, hmac(HmacMode.PERMISSIVE, KEY_1), null);
    assertEquals(
        VrrpDropReason.LENGTH_MISMATCH, unaware[0].send(100, NOW).deliverTo(unaware[1], NOW));
  }

  @Test
  void aUnicastTrailerFromANonPeerIsRefusedBeforeAnyHmac() throws Exception {
    HmacAuthentication key = hmac(HmacMode.ENFORCE, KEY_1);
    End stranger = new End(config("v3-ipv4", key, "192.0.2.20"), "192.0.2.99", "192.0.2.20");
    End receiver = new End(config("v3-ipv4", key, "192.0.2.10"), "192.0.2.20", "192.0.2.10");
    assertEquals(VrrpDropReason.UNKNOWN_PEER, stranger.send(100, NOW).deliverTo(receiver, NOW));
  }

  @Test
  void aFloodOfForgedSourcesDoesNotEvictAVerifiedSender() throws Exception {
    HmacAuthentication key = hmac(HmacMode.ENFORCE, KEY_1);
    End master = new End(config("v3-ipv4", key), "192.0.2.10", "224.0.0.18");
    End receiver = new End(config("v3-ipv4", key), "192.0.2.20", "224.0.0.18");
    master.send(100, NOW);
    ByteBuffer captured = ByteBuffer.allocate(master.length);
    captured.put(0, master.packet, 0, master.length);
    assertNull(master.deliverTo(receiver, NOW));
    HmacAuthentication forgedKey = hmac(HmacMode.ENFORCE, KEY_2);
    for (int i = 0; i < 1000; i++) {
      End forger = new End(config("v3-ipv4", forgedKey), "192.0.2." + (30 + i % 200), "224.0.0.18");
      assertEquals(VrrpDropReason.HMAC_BAD, forger.send(255, NOW).deliverTo(receiver, NOW));
    }
    receiver.decoder.wrapIpv4(captured, 0, captured.limit());
    assertEquals(
        VrrpDropReason.HMAC_REPLAYED, receiver.validator.validate(receiver.decoder, true, NOW));
  }

  @Test
  void unicastCopiesOfOneAdvertShareOneSequenceAndHmac() throws Exception {
    HmacAuthentication key = hmac(HmacMode.ENFORCE, KEY_1);
    VrrpWireConfig config = config("v3-ipv4", key, "192.0.2.20", "192.0.2.30");
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
    ByteBuffer first = ByteBuffer.allocate(encoder.ipv4Length());
    ByteBuffer second = ByteBuffer.allocate(encoder.ipv4Length());
    encoder.encodeIpv4(first, 0, 100, 0xc000020a, 0xc0000214, 1, 0, 77);
    encoder.encodeIpv4(second, 0, 100, 0xc000020a, 0xc000021e, 1, 0, 77);
    int trailer = encoder.ipv4Length() - HmacTrailer.LENGTH;
    assertEquals(first.slice(trailer, 28), second.slice(trailer, 28));
    HmacAuthenticator check = new HmacAuthenticator(key);
    byte[] source = {(byte) 192, 0, 2, 10};
    assertNull(check.verify(second, 20, encoder.advertLength(), source, IpFamily.IPV4));
    assertThrows(
        IllegalStateException.class,
        () -> encoder.encodeIpv4(first, 0, 100, 0xc000020a, 0xc0000214, 1, 0));
  }

  @Test
  void hmacReplacesVrrpv2sOwnAuthentication() throws Exception {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                VrrpWireConfig.builder()
                    .vrid(1)
                    .virtualAddresses(InetAddress.getByName("192.0.2.1"))
                    .authentication(AuthType.SIMPLE_TEXT, "pw")
                    .hmacAuthentication(hmac(HmacMode.ENFORCE, KEY_1))
                    .build());
    assertEquals("authType", e.field());
  }

  /** The length of an unsigned advert of the kind. */
  private static int plainLength(VrrpPacketEncoder encoder, String kind) {
    return encoder.advertLength() + (kind.endsWith("ipv6") ? 0 : 20);
  }
}
