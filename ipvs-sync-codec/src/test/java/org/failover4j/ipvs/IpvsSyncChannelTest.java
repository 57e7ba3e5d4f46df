package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.RoleSource.State;
import org.failover4j.api.SourceClosedException;
import org.failover4j.api.ThreadEventLoop;
import org.junit.jupiter.api.Test;

/** The channel's life on loopback: no root, no peer, only its own sockets and threads. */
class IpvsSyncChannelTest {

  private final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);

  private SyncConfig config() throws Exception {
    return SyncConfig.builder()
        .networkInterface(NetworkInterface.getByName("lo"))
        .port(port)
        .syncId(9)
        .build();
  }

  @Test
  void theBuilderNamesWhatIsMissing() throws Exception {
    assertEquals(
        "config",
        assertThrows(InvalidConfigurationException.class, () -> IpvsSyncChannel.builder().build())
            .field());
    SyncConfig noInterface = SyncConfig.builder().syncId(9).build();
    assertEquals(
        "config.networkInterface",
        assertThrows(
                InvalidConfigurationException.class,
                () -> IpvsSyncChannel.builder().config(noInterface).build())
            .field());
  }

  @Test
  void buildingOpensNothingAndStartsNoThread() throws Exception {
    long before = ipvsThreads();
    IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config()).build();
    assertEquals(State.NEW, channel.state());
    assertEquals(before, ipvsThreads(), "build() started a thread");
    assertBindable(); // no socket on the port yet
    channel.close();
  }

  @Test
  void closeReleasesTheSocketsEvenWhenTheCallersLoopClosedFirst() throws Exception {
    ThreadEventLoop loop = ThreadEventLoop.start("callers-loop");
    IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config()).loop(loop).build();
    channel.start();
    assertEquals(State.STARTED, channel.state());
    loop.close();
    assertDoesNotThrow(() -> channel.close());
    assertEquals(State.CLOSED, channel.state());
    assertBindable();
    assertEquals(0, ipvsThreads(), "the receive thread outlived close()");
  }

  @Test
  void aClosedChannelSaysSoAsEverySourceDoes() throws Exception {
    IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config()).build();
    channel.start();
    channel.close();
    channel.close(); // twice is fine
    assertEquals(
        "the IPVS sync channel is closed; build a new one",
        assertThrows(SourceClosedException.class, channel::start).getMessage());
    assertThrows(SourceClosedException.class, channel::startMaster);
    assertThrows(SourceClosedException.class, channel::flush);
    assertEquals(0, channel.statistics().messagesSent());
  }

  @Test
  void aConnectionPrintsItsAddressesAsIpDoes() throws Exception {
    SyncConnection c =
        SyncConnection.builder()
            .client(java.net.InetAddress.getByName("2001:db8:0:0:0:0:0:7"), 40000)
            .virtual(java.net.InetAddress.getByName("2001:db8::100"), 80)
            .destination(java.net.InetAddress.getByName("2001:db8::22"), 8080)
            .state(TcpState.ESTABLISHED)
            .timeout(java.time.Duration.ofSeconds(300))
            .build();
    String text = c.toString();
    org.junit.jupiter.api.Assertions.assertTrue(
        text.contains(
            "clientAddress=2001:db8::7, clientPort=40000, virtualAddress=2001:db8::100,"
                + " virtualPort=80, destinationAddress=2001:db8::22,"),
        text);
  }

  /** A socket without address reuse binds the port only when the channel's receiver is gone. */
  private void assertBindable() throws Exception {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress(SyncConfig.DEFAULT_GROUP, port));
    }
  }

  private static long ipvsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("failover4j-ipvs") && t.isAlive())
        .count();
  }
}
