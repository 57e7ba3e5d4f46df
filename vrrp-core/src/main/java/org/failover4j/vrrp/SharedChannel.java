package org.failover4j.vrrp;

import java.io.IOException;
import org.failover4j.api.DropCounters;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.vrrp.codec.IpFamily;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.failover4j.vrrp.platform.AdvertChannel;
import org.failover4j.vrrp.platform.AdvertSink;
import org.failover4j.vrrp.platform.ReceivedAdvert;

/**
 * The advert socket of one interface and family, shared by every instance there: decodes each
 * packet once and hands it to the instance of its VRID, as keepalived's one socket per interface
 * does. Packets no instance can claim are counted here.
 */
final class SharedChannel implements AdvertSink {

  private final IpFamily family;
  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();
  private final InstanceEngine[] byVrid = new InstanceEngine[256];
  private final DropCounters<VrrpDropReason> drops;
  private AdvertChannel channel;

  SharedChannel(IpFamily family, DropCounters<VrrpDropReason> routerDrops) {
    this.family = family;
    this.drops = routerDrops;
  }

  void bind(AdvertChannel opened) {
    this.channel = opened;
  }

  AdvertChannel channel() {
    return channel;
  }

  void attach(int vrid, InstanceEngine engine) {
    if (byVrid[vrid] != null) {
      throw new IllegalStateException("two instances with VRID " + vrid + " on one interface");
    }
    byVrid[vrid] = engine;
  }

  void detach(int vrid) {
    byVrid[vrid] = null;
  }

  @Override
  public void received(ReceivedAdvert packet) {
    try {
      if (family == IpFamily.IPV4) {
        decoder.wrapIpv4(packet.buffer(), packet.offset(), packet.length());
      } else {
        decoder.wrapIpv6(
            packet.buffer(),
            packet.offset(),
            packet.length(),
            packet.source(),
            packet.destination(),
            packet.hopLimit());
      }
    } catch (MalformedPacketException e) {
      drops.increment(e);
      return;
    }
    InstanceEngine engine = byVrid[decoder.advert().vrid()];
    if (engine == null) {
      drops.increment(VrrpDropReason.UNKNOWN_VRID);
      return;
    }
    engine.onPacket(decoder);
  }

  void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
