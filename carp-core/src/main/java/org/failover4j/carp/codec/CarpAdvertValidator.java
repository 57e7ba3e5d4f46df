package org.failover4j.carp.codec;

import java.util.Objects;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;

/**
 * The receive checks of one virtual host, in OpenBSD's order: TTL 255, the checksum, version / type
 * / authentication length, the VHID, the SHA1-HMAC, then the counter. (The length was checked when
 * the packet was wrapped.) After the HMAC it keeps the counters in step: an advert from this host's
 * own address moves its {@link SendCounter} above it and is dropped; in ucarp mode every other
 * authenticated counter is adopted; in replay-protected mode the sender's counter must be fresh in
 * the {@link ReplayGuard}.
 *
 * <p>Allocation-free per packet (with one virtual host per {@link CarpHmac}); not thread-safe.
 */
public final class CarpAdvertValidator {

  private final CarpKey key;
  private final CarpHmac hmac;
  private final SendCounter counter;
  private final ReplayGuard guard;
  private final byte[] ownAddress;
  private final byte[] source = new byte[16];

  /**
   * A validator for the virtual host of {@code key}.
   *
   * @param key the virtual host's key
   * @param hmac the host's HMAC
   * @param counter this virtual host's send counter (its mode decides the counter checks)
   * @param guard the replay windows; required in replay-protected mode, ignored otherwise
   * @param ownAddress this host's source address on the segment (4 or 16 bytes, copied)
   */
  public CarpAdvertValidator(
      CarpKey key, CarpHmac hmac, SendCounter counter, ReplayGuard guard, byte[] ownAddress) {
    this.key = Objects.requireNonNull(key, "key");
    this.hmac = Objects.requireNonNull(hmac, "hmac");
    this.counter = Objects.requireNonNull(counter, "counter");
    if (counter.mode() == CounterMode.REPLAY_PROTECTED) {
      Objects.requireNonNull(guard, "a replay-protected virtual host needs a ReplayGuard");
    }
    this.guard = guard;
    this.ownAddress = ownAddress.clone();
  }

  /**
   * Runs every check on a wrapped packet, without the age check of a {@link ReplayGuard} that has
   * one (no clock given).
   *
   * @param packet the wrapped packet
   * @return null when the advert is accepted, else why it is dropped
   */
  public CarpDropReason validate(CarpPacketDecoder packet) {
    return validate(packet, Long.MIN_VALUE);
  }

  /**
   * Runs every check on a wrapped packet received at wall-clock {@code epochMillis}.
   *
   * @param packet the wrapped packet
   * @param epochMillis the wall clock at receipt, in milliseconds since 1970
   * @return null when the advert is accepted, else why it is dropped
   */
  public CarpDropReason validate(CarpPacketDecoder packet, long epochMillis) {
    CarpAdvertDecoder advert = packet.advert();
    if (packet.ttl() != CarpAdvertEncoder.TTL) {
      return CarpDropReason.BAD_TTL;
    }
    if (!advert.checksumValid()) {
      return CarpDropReason.BAD_CHECKSUM;
    }
    CarpDropReason structural = advert.structuralProblem();
    if (structural != null) {
      return structural;
    }
    if (advert.vhid() != key.vhid()) {
      return CarpDropReason.UNKNOWN_VHID;
    }
    if (!hmac.verify(key, advert)) {
      return CarpDropReason.BAD_HMAC;
    }
    long received = advert.counter();
    if (packet.sourceEquals(ownAddress)) {
      counter.observeOwn(received);
      return CarpDropReason.OWN_ADVERT;
    }
    if (counter.mode() == CounterMode.UCARP_COMPATIBLE) {
      counter.observeReceived(received);
      return null;
    }
    if (epochMillis != Long.MIN_VALUE && guard.isStale(received, epochMillis)) {
      return CarpDropReason.STALE_COUNTER;
    }
    packet.copySource(source, 0);
    return guard.accept(source, packet.sourceLength(), received)
        ? null
        : CarpDropReason.REPLAYED_COUNTER;
  }
}
