package org.failover4j.api.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The platform's socket learns how many owners share it, so it can size its receive buffer. */
class AdvertChannelsClaimsTest {

  /** A socket that records what it is told. */
  private static final class Recording implements AdvertSocket {
    final List<Integer> claims = new ArrayList<>();

    @Override
    public int addDestination(InetAddress destination) {
      return 0;
    }

    @Override
    public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
      return SendOutcome.SENT;
    }

    @Override
    public void claimed(int count) {
      claims.add(count);
    }

    @Override
    public void close() {}
  }

  @Test
  void everyClaimReportsTheOwnersOfItsInterfaceAndFamily() throws Exception {
    List<Recording> opened = new ArrayList<>();
    AdvertChannels channels =
        new AdvertChannels(
            (iface, family, sink) -> {
              Recording r = new Recording();
              opened.add(r);
              return r;
            });
    for (int vrid = 1; vrid <= 3; vrid++) {
      channels.open("eth0", IpFamily.IPV4, AdvertOwner.vrrp(3, vrid), d -> {});
    }
    channels.open("eth0", IpFamily.IPV6, AdvertOwner.vrrp(3, 1), d -> {});
    channels.open("eth0", IpFamily.IPV4, AdvertOwner.carp(1), d -> {});
    assertEquals(2, opened.size());
    assertEquals(List.of(1, 2, 3, 4), opened.get(0).claims);
    assertEquals(List.of(1), opened.get(1).claims);

    // A socket opened again (the interface came back) is told at once how many it serves.
    channels.reopen("eth0");
    assertEquals(4, opened.size());
    assertEquals(List.of(4), opened.get(2).claims);
    assertEquals(List.of(1), opened.get(3).claims);
  }
}
