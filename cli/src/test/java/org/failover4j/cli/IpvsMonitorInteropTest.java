package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.SyncSockets;
import org.failover4j.ipvs.TcpState;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * {@code ipvs-monitor --syncid 9 --json} in one namespace prints what a sync master in another
 * sends, and ignores another syncid.
 */
@Interop
class IpvsMonitorInteropTest {

  @Test
  void printsEachMessageOfItsSyncIdAsJson(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host master = lab.host("master", lan);
    Host other = lab.host("other", lan);
    Host monitor = lab.host("monitor", lan);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Future<Integer> exit =
        monitor
            .executor()
            .submit(
                () ->
                    new IpvsMonitorCommand(3)
                        .run(
                            List.of("--syncid", "9", "--json"),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8)));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!monitor.run("ip", "maddr", "show", "dev", "eth0").stdout().contains("224.0.0.81")) {
      assertTrue(System.nanoTime() < deadline, "the monitor never joined: " + err);
      Thread.sleep(50);
    }

    // Another syncid first: a backup with syncid 9 ignores it, and so does the monitor.
    NetworkInterface otherIf = other.call(() -> NetworkInterface.getByName("eth0"));
    SyncConfig otherConfig = SyncConfig.builder().networkInterface(otherIf).build();
    try (DatagramChannel socket = other.call(() -> SyncSockets.openSender(otherConfig))) {
      socket.write(
          ByteBuffer.wrap(
              HexFormat.of()
                  .parseHex(
                      "0003002c0101000000060024000001000001"
                          + "9c4100501f90000000000000012cc6336408c0000264c0000216")));
    }

    NetworkInterface nif = master.call(() -> NetworkInterface.getByName("eth0"));
    SyncConfig config = SyncConfig.builder().networkInterface(nif).syncId(9).build();
    Set<Long> sent = new HashSet<>();
    try (IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config).build()) {
      master.call(
          () -> {
            channel.start();
            return null;
          });
      channel.startMaster();
      for (int i = 0; i < 100; i++) {
        SyncConnection c =
            SyncConnection.builder()
                .client(InetAddress.getByName("198.51.100." + (i + 1)), 40000 + i)
                .virtual(InetAddress.getByName("192.0.2.100"), 80)
                .destination(InetAddress.getByName("192.0.2.22"), 8080)
                .state(TcpState.ESTABLISHED)
                .timeout(Duration.ofSeconds(300))
                .build();
        channel.sync(c);
        sent.add(40000L + i);
      }
      channel.flush();
      assertEquals(0, exit.get(10, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
    }

    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length, "40 + 40 + 20 entries in three messages");
    Set<Long> printed = new HashSet<>();
    for (String line : lines) {
      Map<String, Object> message = Json.parseObject(line);
      assertEquals("ipvs", message.get("proto"));
      assertEquals(1L, message.get("version"));
      assertEquals(9L, message.get("syncid"));
      for (Object conn : Json.list(message.get("conns"))) {
        Map<String, Object> c = Json.map(conn);
        assertEquals("192.0.2.100", c.get("vaddr"));
        assertEquals(300L, c.get("timeout"));
        printed.add(Json.number(c.get("cport")).longValue());
      }
    }
    assertEquals(sent, printed);
  }
}
