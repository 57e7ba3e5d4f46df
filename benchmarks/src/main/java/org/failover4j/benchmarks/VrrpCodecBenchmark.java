package org.failover4j.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.vrrp.codec.AhAuthenticator;
import org.failover4j.vrrp.codec.AhSequenceCounter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacAuthenticator;
import org.failover4j.vrrp.codec.VrrpAdvertValidator;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The VRRP receive and send paths per packet, in time and in bytes allocated (run with {@code -prof
 * gc}; the target is 0 B/op): decoding and validating a VRRPv3 advert as keepalived checks it,
 * verifying keepalived's AH ICV of a VRRPv2 advert, and encoding one; signing and verifying
 * keepalived 2.4's {@code auth_hmac} trailer of a VRRPv3 advert. The floors are a bare HMAC-MD5
 * over the same 64 bytes through the JCA ({@code Mac.getInstance("HmacMD5")}) and through
 * BouncyCastle's {@code HMac}, and a bare BouncyCastle HMAC-SHA256 over what auth_hmac covers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VrrpCodecBenchmark {

  private static final int SOURCE = 0xc000020b; // 192.0.2.11
  private static final int GROUP = 0xe0000012; // 224.0.0.18
  private static final byte[] KEY = "secret12".getBytes(StandardCharsets.US_ASCII);
  private static final IpFamily IPV4 = IpFamily.IPV4;

  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();
  private ByteBuffer v3;
  private VrrpAdvertValidator v3Validator;

  private ByteBuffer ah;
  private AhAuthenticator authenticator;
  private VrrpPacketEncoder ahEncoder;
  private ByteBuffer sendBuffer;
  private AhSequenceCounter sendCounter;

  private VrrpPacketEncoder hmacEncoder;
  private ByteBuffer hmacSendBuffer;
  private long hmacSequence = 0x6b16_9192_0000_0000L;
  private ByteBuffer signed;
  private VrrpAdvertValidator hmacValidator;
  private HmacAuthenticator hmacAuthenticator;
  private static final byte[] SOURCE_BYTES = {(byte) 192, 0, 2, 11};
  private byte[] sha256Input;
  private final byte[] sha256Output = new byte[32];
  private HMac bouncyCastleSha256;

  private byte[] hmacInput;
  private final byte[] hmacOutput = new byte[16];
  private Mac jca;
  private HMac bouncyCastle;

  @Setup
  public void setUp() throws GeneralSecurityException, UnknownHostException {
    VrrpWireConfig v3Config =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(60)
            .interval(Duration.ofMillis(500))
            .virtualAddresses(ip("192.0.2.140"), ip("192.0.2.141"), ip("192.0.2.142"))
            .build();
    VrrpPacketEncoder v3Encoder = new VrrpPacketEncoder(v3Config);
    v3 = ByteBuffer.allocateDirect(v3Encoder.ipv4Length());
    v3Encoder.encodeIpv4(v3, 0, 150, SOURCE, GROUP, 1, 0);
    v3Validator = new VrrpAdvertValidator(v3Config, null);
    if (v3Validator.validate(decoder.wrapIpv4(v3, 0, v3.limit())) != null) {
      throw new IllegalStateException("the benchmark's v3 advert does not validate");
    }

    VrrpWireConfig ahConfig =
        VrrpWireConfig.builder()
            .vrid(51)
            .virtualAddresses(ip("10.0.0.100"))
            .authentication(AuthType.IPSEC_AH, KEY)
            .build();
    ahEncoder = new VrrpPacketEncoder(ahConfig);
    ah = ByteBuffer.allocateDirect(ahEncoder.ipv4Length());
    ahEncoder.encodeIpv4(ah, 0, 100, 0x0a000001, GROUP, 1, 1); // the PROTOCOLS.md sanity vector
    authenticator = new AhAuthenticator(KEY);
    if (!authenticator.verify(ah, 0, ah.limit(), false)) {
      throw new IllegalStateException("the benchmark's AH advert does not verify");
    }
    sendBuffer = ByteBuffer.allocateDirect(ahEncoder.ipv4Length());
    sendCounter = new AhSequenceCounter();

    HmacAuthentication hmac =
        HmacAuthentication.builder()
            .key(1, "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .antiReplay(HmacAntiReplay.MONOTONIC)
            .build();
    VrrpWireConfig hmacConfig =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(51)
            .virtualAddresses(ip("192.0.2.100"))
            .hmacAuthentication(hmac)
            .build();
    hmacEncoder = new VrrpPacketEncoder(hmacConfig);
    hmacSendBuffer = ByteBuffer.allocateDirect(hmacEncoder.ipv4Length());
    signed = ByteBuffer.allocateDirect(hmacEncoder.ipv4Length());
    hmacEncoder.encodeIpv4(signed, 0, 200, SOURCE, GROUP, 1, 0, hmacSequence);
    hmacValidator = new VrrpAdvertValidator(hmacConfig, null);
    if (hmacValidator.validate(decoder.wrapIpv4(signed, 0, signed.limit()), true, 0) != null) {
      throw new IllegalStateException("the benchmark's auth_hmac advert does not validate");
    }
    hmacAuthenticator = new HmacAuthenticator(hmac);
    sha256Input = new byte[20 + hmacEncoder.advertLength() + 28];
    bouncyCastleSha256 = new HMac(new SHA256Digest());
    bouncyCastleSha256.init(new KeyParameter(new byte[32]));

    hmacInput = new byte[ah.limit()];
    ah.get(0, hmacInput);
    jca = Mac.getInstance("HmacMD5");
    jca.init(new SecretKeySpec(KEY, "HmacMD5"));
    bouncyCastle = new HMac(new MD5Digest());
    bouncyCastle.init(new KeyParameter(KEY));
  }

  /** Wrap a received VRRPv3 datagram and run keepalived's checks: the receive hot path. */
  @Benchmark
  public VrrpDropReason decodeAndValidateV3() {
    return v3Validator.validate(decoder.wrapIpv4(v3, 0, v3.limit()));
  }

  /** Verify the AH ICV of a VRRPv2 advert (copy, zero the mutable fields, HMAC, compare). */
  @Benchmark
  public boolean verifyAhV2() {
    return authenticator.verify(ah, 0, ah.limit(), false);
  }

  /** Write an AH-authenticated VRRPv2 datagram: headers, checksums, sequence number, ICV. */
  @Benchmark
  public int encodeAhV2() {
    return ahEncoder.encodeIpv4(sendBuffer, 0, 100, SOURCE, GROUP, 1, sendCounter.nextForSend());
  }

  /**
   * Write a signed VRRPv3 datagram with keepalived 2.4's auth_hmac trailer: headers, checksums, a
   * new sequence number, HMAC-SHA256-128 (a new sequence each time, so never the per-advert cache).
   */
  @Benchmark
  public int signHmacV3() {
    return hmacEncoder.encodeIpv4(hmacSendBuffer, 0, 200, SOURCE, GROUP, 1, 0, ++hmacSequence);
  }

  /**
   * Verify the auth_hmac trailer of a VRRPv3 advert: pseudo-header, HMAC, constant-time compare.
   */
  @Benchmark
  public VrrpDropReason verifyHmacV3() {
    return hmacAuthenticator.verify(signed, 20, hmacEncoder.advertLength(), SOURCE_BYTES, IPV4);
  }

  /**
   * The whole receive path of a signed VRRPv3 advert: wrap, keepalived 2.4.3's checks, freshness,
   * HMAC and replay (the same advert each time, so it ends as HMAC_REPLAYED after the full work).
   */
  @Benchmark
  public VrrpDropReason decodeAndValidateHmacV3() {
    return hmacValidator.validate(decoder.wrapIpv4(signed, 0, signed.limit()), true, 0);
  }

  /** Floor: a bare BouncyCastle HMAC-SHA256 over the same 60 bytes auth_hmac covers. */
  @Benchmark
  public byte[] floorBouncyCastleHmacSha256() {
    bouncyCastleSha256.update(sha256Input, 0, sha256Input.length);
    bouncyCastleSha256.doFinal(sha256Output, 0);
    return sha256Output;
  }

  /** Floor: a bare JCA HMAC-MD5 over the same 64 bytes. */
  @Benchmark
  public byte[] floorJcaHmacMd5() throws GeneralSecurityException {
    jca.update(hmacInput);
    jca.doFinal(hmacOutput, 0);
    return hmacOutput;
  }

  /** Floor: a bare BouncyCastle HMAC-MD5 over the same 64 bytes. */
  @Benchmark
  public byte[] floorBouncyCastleHmacMd5() {
    bouncyCastle.update(hmacInput, 0, hmacInput.length);
    bouncyCastle.doFinal(hmacOutput, 0);
    return hmacOutput;
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
