package org.failover4j.cli;

import org.failover4j.capture.IpPacket;
import org.failover4j.capture.UdpDatagram;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncMessageReader;

/**
 * Prints IPVS connection-sync messages (UDP to port 8848) for {@code failover4j decode}, in the
 * shape {@code ipvs-monitor --json} uses, with the frame number first.
 */
final class IpvsPrinter implements PacketPrinter {

  private final UdpDatagram udp = new UdpDatagram();
  private final SyncMessageReader reader = new SyncMessageReader();

  @Override
  public boolean claims(IpPacket packet) {
    return !packet.isFragment()
        && udp.wrap(packet)
        && udp.destinationPort() == SyncConfig.DEFAULT_PORT;
  }

  @Override
  public JsonObject print(long frame, IpPacket packet) {
    JsonObject json = new JsonObject().put("frame", frame);
    if (!udp.wrap(packet) || udp.isTruncated()) {
      return json.put("proto", "ipvs")
          .put("error", "TRUNCATED")
          .put("detail", "UDP datagram cut short in the capture");
    }
    return IpvsJson.message(json, udp.buffer(), udp.payloadOffset(), udp.payloadLength(), reader);
  }
}
