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
    final List<String> routes = new ArrayList<>();

    @Override
    public int addDestination(InetAddress destination, InetAddress source) {
      routes.add(destination.getHostAddress() + " from " + source);
      return routes.size() - 1;
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

  @Test
  void aDestinationIsRegisteredOncePerSourceAndAgainWithItsSourceOnReopen() throws Exception {
    List<Recording> opened = new ArrayList<>();
    AdvertChannels channels =
        new AdvertChannels(
            (iface, family, sink) -> {
              Recording r = new Recording();
              opened.add(r);
              return r;
            });
    InetAddress peer = InetAddress.getByName("2001:db8::2");
    InetAddress own = InetAddress.getByName("2001:db8::1");
    InetAddress other = InetAddress.getByName("2001:db8::3");
    AdvertChannel first = channels.open("eth0", IpFamily.IPV6, AdvertOwner.vrrp(3, 1), d -> {});
    AdvertChannel second = channels.open("eth0", IpFamily.IPV6, AdvertOwner.carp(1), d -> {});
    assertEquals(0, first.addDestination(peer, own));
    assertEquals(0, second.addDestination(peer, own), "the same route is shared");
    assertEquals(1, second.addDestination(peer, other), "another source is another route");
    assertEquals(2, first.addDestination(IpFamily.IPV6.advertGroup(), null));

    channels.reopen("eth0");
    assertEquals(
        List.of(
            "2001:db8:0:0:0:0:0:2 from /2001:db8:0:0:0:0:0:1",
            "2001:db8:0:0:0:0:0:2 from /2001:db8:0:0:0:0:0:3",
            "ff02:0:0:0:0:0:0:12 from null"),
        opened.get(1).routes);
  }
}
