package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.failover4j.lab.GuestKernel;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPVS sync against the Linux kernel's own sync daemon, both ways, in a kernel-lab guest (the build
 * machines' kernel has no IPVS). One LAN: a client {@code c}, two directors {@code m} and {@code
 * b}, a real server {@code r} behind them by direct routing (the virtual addresses on its loopback,
 * never answered for by ARP). Each test uses its own virtual addresses, so what another test left
 * in a table does not count.
 *
 * <ul>
 *   <li>The kernel's master daemon on {@code m} syncs real connections (TCP established, UDP,
 *       persistence templates, a firewall-mark service; IPv4 and IPv6) to an {@link
 *       IpvsSyncChannel} backup on {@code b}, whose table must equal {@code ipvsadm -Lcn} on {@code
 *       m}: v1 and v0.
 *   <li>An {@link IpvsSyncChannel} master on {@code m} syncs 10,000 connections to the kernel's
 *       backup daemon on {@code b}, all listed by {@code ipvsadm -Lcn} there: v1 and v0.
 *   <li>A connection synced by an {@link IpvsSyncChannel} master continues through the kernel of
 *       the new director after the virtual address moved; one that was not synced is reset.
 * </ul>
 */
@Interop(peers = {"ipvsadm", "iptables-legacy"})
@GuestKernel(
    modules = {"ip_vs", "ip_vs_rr", "iptable_mangle", "xt_mark", "xt_tcpudp"},
    timeoutSeconds = 900)
class IpvsKernelInteropTest {

  private static final int SYNC_ID = 9;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PERSISTENCE_SECONDS = 120;

  private static Lab lab;
  private static Lan lan;
  private static Host client;
  private static Host m;
  private static Host b;
  private static Host r;
  private static EchoServer server;

  /** One row of {@code ipvsadm -Lcn}, or the same fields of a synced connection. */
  record Row(String protocol, String state, String client, String virtual, String destination) {}

  @BeforeAll
  static void topology() throws Exception {
    lab = Lab.create("IpvsKernelInteropTest");
    lan = lab.lan("lan0");
    client = lab.host("c", lan);
    m = lab.host("m", lan);
    b = lab.host("b", lan);
    r = lab.host("r", lan);
    // The real server: the virtual addresses on lo, ARP answered only for eth0's own address.
    r.run(
        "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");
    for (int vip = 100; vip <= 104; vip++) {
      r.run("ip", "addr", "add", lan.ipv4(vip).getHostAddress() + "/32", "dev", "lo");
      r.run("ip", "addr", "add", lan.ipv6(vip).getHostAddress() + "/128", "dev", "lo", "nodad");
    }
    server = r.call(() -> EchoServer.open(80, 443, 8080));
    for (Host director : List.of(m, b)) {
      services(director);
    }
    // The firewall-mark service on m: TCP to VIP .100 port 8080 carries mark 1 (the guest's
    // kernel has no nftables for the ip family; iptables' mangle table it has).
    m.run(
        "iptables-legacy",
        "-t",
        "mangle",
        "-A",
        "PREROUTING",
        "-d",
        lan.ipv4(100).getHostAddress(),
        "-p",
        "tcp",
        "--dport",
        "8080",
        "-j",
        "MARK",
        "--set-mark",
        "1");
  }

  @AfterAll
  static void close() throws IOException {
    if (server != null) {
      server.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  /** The same virtual services on both directors, in one {@code ipvsadm -R}. */
  private static void services(Host director) throws IOException {
    String real4 = r.ipv4(lan).getHostAddress();
    String real6 = "[" + r.ipv6(lan).getHostAddress() + "]";
    StringBuilder rules = new StringBuilder();
    for (int vip = 100; vip <= 104; vip++) {
      String v4 = lan.ipv4(vip).getHostAddress();
      String v6 = "[" + lan.ipv6(vip).getHostAddress() + "]";
      for (String[] pair : new String[][] {{v4, real4}, {v6, real6}}) {
        rules.append(
            String.format(
                "-A -t %s:80 -s rr%n-a -t %s:80 -r %s:80 -g%n", pair[0], pair[0], pair[1]));
        rules.append(
            String.format(
                "-A -u %s:53 -s rr%n-a -u %s:53 -r %s:53 -g%n", pair[0], pair[0], pair[1]));
        rules.append(
            String.format(
                "-A -t %s:443 -s rr -p %d%n-a -t %s:443 -r %s:443 -g%n",
                pair[0], PERSISTENCE_SECONDS, pair[0], pair[1]));
      }
    }
    rules.append(String.format("-A -f 1 -s rr%n-a -f 1 -r %s:0 -g%n", real4));
    Path file = lab.file("ipvs-" + director.name() + ".rules");
    Files.writeString(file, rules.toString());
    director.run("sh", "-c", "ipvsadm -R < " + file);
  }

  // ---------------------------------------------------------------- kernel master -> Java backup

  @Test
  void kernelMasterToJavaBackupV1EqualsIpvsadmOnTheMaster() throws Exception {
    kernelMasterToJavaBackup(SyncVersion.V1, 100);
  }

  @Test
  void kernelMasterToJavaBackupV0EqualsIpvsadmOnTheMaster() throws Exception {
    kernelMasterToJavaBackup(SyncVersion.V0, 101);
  }

  private void kernelMasterToJavaBackup(SyncVersion version, int vipNumber) throws Exception {
    boolean v1 = version == SyncVersion.V1;
    InetAddress vip4 = lan.ipv4(vipNumber);
    InetAddress vip6 = lan.ipv6(vipNumber);
    m.run("ip", "addr", "add", vip4.getHostAddress() + "/24", "dev", "eth0");
    m.run("ip", "addr", "add", vip6.getHostAddress() + "/64", "dev", "eth0", "nodad");
    m.run("sysctl", "-q", "-w", "net.ipv4.vs.sync_version=" + (v1 ? 1 : 0));
    m.run("ipvsadm", "--start-daemon", "master", "--mcast-interface", "eth0", "--syncid", "9");
    IpvsSyncChannel backup = channel(b, version);
    backup.startBackup();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      // Real traffic through the kernel's director: TCP established, UDP (synced at its third
      // packet), persistent TCP (a template per client address), the firewall-mark service.
      List<InetAddress> sources = clientAddresses(vipNumber);
      for (InetAddress source : sources) {
        boolean six = source.getAddress().length == 16;
        InetAddress vip = six ? vip6 : vip4;
        if (six && !v1) {
          continue; // v0 carries IPv4 only
        }
        for (int i = 0; i < 20; i++) {
          open.add(connect(source, vip, 80));
        }
        for (int i = 0; i < 10; i++) {
          open.add(udp(source, vip, 53, 3));
        }
        for (int i = 0; i < 3; i++) {
          open.add(connect(source, vip, 443));
        }
        if (!six && vipNumber == 100) {
          for (int i = 0; i < 5; i++) {
            open.add(connect(source, vip, 8080));
          }
        }
      }
      Thread.sleep(2_000); // the master's send delay and flush
      Set<Row> onMaster = ipvsadmRows(m, vipNumber);
      assertTrue(onMaster.size() >= open.size(), "ipvsadm -Lcn on m: " + onMaster);
      // Every kind the kernel syncs is there: TCP established, UDP, templates, firewall marks.
      assertTrue(onMaster.stream().anyMatch(r -> r.state().equals("ESTABLISHED")), "" + onMaster);
      assertTrue(onMaster.stream().anyMatch(r -> r.protocol().equals("UDP")), "" + onMaster);
      assertTrue(onMaster.stream().anyMatch(r -> r.client().endsWith(":0")), "" + onMaster);
      assertEquals(
          vipNumber == 100,
          onMaster.stream().anyMatch(r -> r.virtual().endsWith(":8080")),
          "" + onMaster);
      assertEquals(v1, onMaster.stream().anyMatch(r -> r.client().startsWith("[")), "" + onMaster);
      Set<Row> onBackup = awaitRows(backup, vipNumber, onMaster);
      assertEquals(onMaster, onBackup, "the Java backup's table against ipvsadm -Lcn on m");
      assertEquals(onMaster, ipvsadmRows(m, vipNumber), "m's table changed meanwhile");

      for (SyncConnection c : table(backup, vipNumber)) {
        assertEquals(ForwardingMethod.DROUTE, c.flags().forwardingMethod(), c.toString());
        long timeout = c.timeout().toSeconds();
        // v0 carries no timeout: the backup applies its protocol defaults, nothing to compare.
        if (c.isTemplate() && v1) {
          assertEquals(PERSISTENCE_SECONDS, timeout, c.toString());
        } else if (v1) {
          long expected = c.protocol() == 6 ? 900 : 300; // ESTABLISHED; UDP
          assertEquals(expected, timeout, c.toString());
        }
        if (c.virtualPort() == 8080) {
          assertEquals(v1 ? 1 : 0, c.firewallMark(), c.toString());
        }
      }
      System.out.printf(
          "IPVS kernel master -> IpvsSyncChannel backup, %s: %d entries equal ipvsadm -Lcn"
              + " (drops %d)%n",
          version, onMaster.size(), backup.statistics().totalDropped());
      assertEquals(0, backup.statistics().totalDropped(), backup.statistics().toString());
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
      backup.close();
      m.run("ipvsadm", "--stop-daemon", "master");
      m.run("ip", "addr", "del", vip4.getHostAddress() + "/24", "dev", "eth0");
      m.run("ip", "addr", "del", vip6.getHostAddress() + "/64", "dev", "eth0");
    }
  }

  /**
   * A backup whose role flapped (as a VRRP instance does in a loaded guest) leaves and re-joins the
   * group each time: after master, backup, master, backup it must still hear the kernel's daemon.
   */
  @Test
  void aJavaBackupThatFlippedRolesStillReceivesTheKernelMaster() throws Exception {
    InetAddress vip = lan.ipv4(104);
    m.run("ip", "addr", "add", vip.getHostAddress() + "/24", "dev", "eth0");
    m.run("sysctl", "-q", "-w", "net.ipv4.vs.sync_version=1");
    m.run("ipvsadm", "--start-daemon", "master", "--mcast-interface", "eth0", "--syncid", "9");
    IpvsSyncChannel backup = channel(b, SyncVersion.V1);
    List<AutoCloseable> open = new ArrayList<>();
    try {
      for (IpvsSyncChannel.Mode mode :
          List.of(
              IpvsSyncChannel.Mode.MASTER,
              IpvsSyncChannel.Mode.BACKUP,
              IpvsSyncChannel.Mode.MASTER,
              IpvsSyncChannel.Mode.BACKUP)) {
        if (mode == IpvsSyncChannel.Mode.MASTER) {
          backup.startMaster();
        } else {
          backup.startBackup();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (backup.mode() != mode && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(mode, backup.mode());
      }
      for (int i = 0; i < 5; i++) {
        open.add(connect(client.ipv4(lan), vip, 80));
      }
      Thread.sleep(1_000); // the master's send delay
      Set<Row> onMaster = ipvsadmRows(m, 104);
      assertEquals(5, onMaster.size(), "ipvsadm -Lcn on m: " + onMaster);
      assertEquals(
          onMaster, awaitRows(backup, 104, onMaster), "after master, backup, master, backup");
      System.out.printf(
          "IPVS kernel master -> IpvsSyncChannel backup after 4 role changes: %d of %d entries,"
              + " %d messages%n",
          table(backup, 104).size(), onMaster.size(), backup.statistics().messagesReceived());
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
      backup.close();
      m.run("ipvsadm", "--stop-daemon", "master");
      m.run("ip", "addr", "del", vip.getHostAddress() + "/24", "dev", "eth0");
    }
  }

  // ---------------------------------------------------------------- Java master -> kernel backup

  @Test
  void javaMasterToKernelBackupTenThousandConnectionsV1() throws Exception {
    javaMasterToKernelBackup(SyncVersion.V1, 102);
  }

  @Test
  void javaMasterToKernelBackupTenThousandConnectionsV0() throws Exception {
    javaMasterToKernelBackup(SyncVersion.V0, 101);
  }

  private void javaMasterToKernelBackup(SyncVersion version, int vipNumber) throws Exception {
    boolean v1 = version == SyncVersion.V1;
    b.run("ipvsadm", "--start-daemon", "backup", "--mcast-interface", "eth0", "--syncid", "9");
    IpvsSyncChannel master = channel(m, version);
    master.startMaster();
    try {
      Map<Row, SyncConnection> sent = new HashMap<>();
      long start = System.nanoTime();
      for (int n = 0; n < 10_000; n++) {
        SyncConnection c = synthetic(n, vipNumber, v1);
        sent.put(row(c), c);
        master.sync(c);
      }
      master.flush();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (master.statistics().entriesSent() < 10_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(10_000, master.statistics().entriesSent());
      Map<Row, Integer> onBackup = ipvsadmLines(b, vipNumber);
      while (onBackup.size() < sent.size() && System.nanoTime() < deadline) {
        Thread.sleep(1_000);
        onBackup = ipvsadmLines(b, vipNumber);
      }
      Set<Row> missing = new HashSet<>(sent.keySet());
      missing.removeAll(onBackup.keySet());
      assertTrue(
          missing.isEmpty(),
          missing.size()
              + " of 10000 missing on the kernel backup, e.g. "
              + missing.stream().limit(3).toList());
      assertEquals(sent.keySet(), onBackup.keySet());
      for (Map.Entry<Row, Integer> e : onBackup.entrySet()) {
        SyncConnection c = sent.get(e.getKey());
        // v1 carries the timeout; in v0 the kernel applies its own (ESTABLISHED 15 min, UDP 5).
        long timeout =
            v1 ? c.timeout().toSeconds() : c.isTemplate() ? 0 : c.protocol() == 6 ? 900 : 300;
        int left = e.getValue();
        if (!c.isTemplate() || v1) {
          assertTrue(
              left <= timeout && left >= timeout - 120,
              e.getKey() + " expires in " + left + " s, sent with " + timeout + " s");
        }
      }
      System.out.printf(
          "IPVS IpvsSyncChannel master -> kernel backup, %s: 10000 connections in %d messages,"
              + " %.1f s, %.0f messages/s, %.0f connections/s; all 10000 in ipvsadm -Lcn%n",
          version,
          master.statistics().messagesSent(),
          seconds,
          master.statistics().messagesSent() / seconds,
          10_000 / seconds);
      assertEquals(0, master.statistics().sendFailures());
    } finally {
      master.close();
      b.run("ipvsadm", "--stop-daemon", "backup");
    }
  }

  /**
   * Connection {@code n} to VIP {@code vipNumber}: TCP established (varied timeouts in v1), UDP,
   * and a persistence template every 10th; every 5th over IPv6 in v1.
   */
  private static SyncConnection synthetic(int n, int vipNumber, boolean v1) {
    boolean six = v1 && n % 5 == 4;
    InetAddress vip = six ? lan.ipv6(vipNumber) : lan.ipv4(vipNumber);
    InetAddress real = six ? r.ipv6(lan) : r.ipv4(lan);
    byte[] c = six ? new byte[16] : new byte[] {(byte) 198, 51, 100, 0};
    if (six) {
      c[0] = 0x20;
      c[1] = 0x01;
      c[2] = 0x0d;
      c[3] = (byte) 0xb8;
      c[5] = 0x0c;
    }
    c[c.length - 1] = (byte) (n % 200 + 1);
    InetAddress clientAddress;
    try {
      clientAddress = InetAddress.getByAddress(c);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    SyncConnection.Builder builder =
        SyncConnection.builder()
            .client(clientAddress, 1024 + n)
            .destination(real, 80)
            .virtual(vip, 80)
            .flags(ForwardingMethod.DROUTE.value());
    switch (n % 10) {
      case 0 ->
          builder
              .client(clientAddress, 0)
              .virtual(vip, 443)
              .destination(real, 443)
              .flags(ConnectionFlags.TEMPLATE | ForwardingMethod.DROUTE.value())
              .state(TemplateState.NONE)
              .timeout(Duration.ofSeconds(v1 ? PERSISTENCE_SECONDS : 0))
              // one template per client address and service
              .client(clientAddress, 0);
      case 1, 2 ->
          builder
              .protocol(17)
              .virtual(vip, 53)
              .destination(real, 53)
              .state(UdpState.NORMAL)
              .timeout(Duration.ofSeconds(v1 ? 300 : 0));
      default ->
          builder
              .protocol(6)
              .state(TcpState.ESTABLISHED)
              .timeout(Duration.ofSeconds(v1 ? 600 + n % 300 : 0));
    }
    return builder.build();
  }

  // ---------------------------------------------------------------- failover through the kernel

  @Test
  void aConnectionSyncedByJavaContinuesThroughTheKernelOfTheNewDirector() throws Exception {
    InetAddress vip = lan.ipv4(103);
    b.run("ipvsadm", "--start-daemon", "backup", "--mcast-interface", "eth0", "--syncid", "9");
    IpvsSyncChannel master = channel(m, SyncVersion.V1);
    master.startMaster();
    m.run("ip", "addr", "add", vip.getHostAddress() + "/24", "dev", "eth0");
    try (SocketChannel synced = connect(client.ipv4(lan), vip, 80);
        SocketChannel notSynced = connect(client.ipv4(lan), vip, 80)) {
      InetSocketAddress local = (InetSocketAddress) synced.getLocalAddress();
      SyncConnection connection =
          SyncConnection.builder()
              .protocol(6)
              .client(local.getAddress(), local.getPort())
              .virtual(vip, 80)
              .destination(r.ipv4(lan), 80)
              .flags(ForwardingMethod.DROUTE.value())
              .state(TcpState.ESTABLISHED)
              .timeout(Duration.ofSeconds(900))
              .build();
      master.sync(connection);
      master.flush();
      Row expected = row(connection);
      long deadline = System.nanoTime() + WAIT.toNanos();
      Map<Row, Integer> onB = ipvsadmLines(b, 103);
      while (!onB.containsKey(expected) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        onB = ipvsadmLines(b, 103);
      }
      assertEquals(Set.of(expected), onB.keySet(), "ipvsadm -Lcn on the kernel backup");
      assertTrue(onB.get(expected) > 840, "expires in " + onB.get(expected) + " s of 900");

      // The failover: m is gone, b holds the address and leaves the backup role.
      m.run("ip", "addr", "del", vip.getHostAddress() + "/24", "dev", "eth0");
      b.run("ipvsadm", "--stop-daemon", "backup");
      b.run("ip", "addr", "add", vip.getHostAddress() + "/24", "dev", "eth0");
      client.run(
          "ip", "neigh", "replace", vip.getHostAddress(), "lladdr", b.mac("eth0"), "dev", "eth0");

      client.call(
          () -> {
            echo(synced, "still here");
            return null;
          });
      IOException reset =
          org.junit.jupiter.api.Assertions.assertThrows(
              IOException.class,
              () ->
                  client.call(
                      () -> {
                        echo(notSynced, "lost");
                        return null;
                      }),
              "a connection b did not learn must not survive: else the test proves nothing");
      System.out.println(
          "IPVS failover: the connection synced by IpvsSyncChannel continued through b's kernel;"
              + " the one not synced ended: "
              + reset);
    } finally {
      master.close();
      b.exec("ip", "addr", "del", vip.getHostAddress() + "/24", "dev", "eth0");
    }
  }

  /** Three IPv4 and (on the v1 VIP) two IPv6 client addresses: one template each. */
  private static List<InetAddress> clientAddresses(int vipNumber) {
    List<InetAddress> sources = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InetAddress a = lan.ipv4(30 + vipNumber % 100 * 10 + i);
      client.run("ip", "addr", "add", a.getHostAddress() + "/24", "dev", "eth0");
      sources.add(a);
    }
    for (int i = 0; i < 2; i++) {
      InetAddress a = lan.ipv6(30 + vipNumber % 100 * 10 + i);
      client.run("ip", "addr", "add", a.getHostAddress() + "/64", "dev", "eth0", "nodad");
      sources.add(a);
    }
    return sources;
  }

  private static SocketChannel connect(InetAddress source, InetAddress vip, int port)
      throws Exception {
    return client.call(
        () -> {
          SocketChannel s = SocketChannel.open();
          s.bind(new InetSocketAddress(source, 0));
          s.connect(new InetSocketAddress(vip, port));
          echo(s, "hello");
          return s;
        });
  }

  private static DatagramChannel udp(InetAddress source, InetAddress vip, int port, int packets)
      throws Exception {
    return client.call(
        () -> {
          DatagramChannel d = DatagramChannel.open();
          d.bind(new InetSocketAddress(source, 0));
          for (int i = 0; i < packets; i++) {
            d.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(vip, port));
          }
          return d;
        });
  }

  /** Writes {@code text} and reads it back from the real server, waiting at most 5 s. */
  private static void echo(SocketChannel s, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    s.write(ByteBuffer.wrap(bytes));
    s.socket().setSoTimeout(5_000);
    byte[] back = new byte[bytes.length];
    int read = 0;
    while (read < back.length) {
      int n = s.socket().getInputStream().read(back, read, back.length - read);
      if (n < 0) {
        throw new IOException("connection closed before the echo");
      }
      read += n;
    }
    assertEquals(text, new String(back, StandardCharsets.US_ASCII));
  }

  private static IpvsSyncChannel channel(Host host, SyncVersion version) throws Exception {
    NetworkInterface nif = host.call(() -> NetworkInterface.getByName("eth0"));
    SyncConfig config =
        SyncConfig.builder()
            .networkInterface(nif)
            .syncId(SYNC_ID)
            .version(version)
            .receiveBufferSize(4 << 20)
            .build();
    return host.call(
        () -> {
          IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config).build();
          channel.start(); // the sockets open in this host's namespace
          return channel;
        });
  }

  private static List<SyncConnection> table(IpvsSyncChannel channel, int vipNumber)
      throws Exception {
    Set<InetAddress> vips = Set.of(lan.ipv4(vipNumber), lan.ipv6(vipNumber));
    return channel.snapshot().get(10, TimeUnit.SECONDS).stream()
        .filter(c -> vips.contains(c.virtualAddress()))
        .toList();
  }

  private static Set<Row> awaitRows(IpvsSyncChannel channel, int vipNumber, Set<Row> expected)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Set<Row> rows = rows(table(channel, vipNumber));
    while (!rows.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      rows = rows(table(channel, vipNumber));
    }
    return rows;
  }

  private static Set<Row> rows(List<SyncConnection> table) {
    Set<Row> rows = new HashSet<>();
    for (SyncConnection c : table) {
      rows.add(row(c));
    }
    return rows;
  }

  /** The connection as ipvsadm prints it. */
  private static Row row(SyncConnection c) {
    String protocol = c.protocol() == 6 ? "TCP" : c.protocol() == 17 ? "UDP" : "" + c.protocol();
    String state = c.protocol() == 17 && !c.isTemplate() ? "UDP" : c.connectionState().name();
    return new Row(
        protocol,
        state,
        endpoint(c.clientAddress(), c.clientPort()),
        endpoint(c.virtualAddress(), c.virtualPort()),
        endpoint(c.destinationAddress(), c.destinationPort()));
  }

  private static String endpoint(InetAddress address, int port) {
    String text = address.getHostAddress();
    if (address.getAddress().length == 16) {
      text = "[" + compress(text) + "]";
    }
    return text + ":" + port;
  }

  /** Java prints 2001:db8:0:0:0:0:0:11, ipvsadm 2001:db8::11. */
  private static String compress(String ipv6) {
    return ipv6.replaceFirst("(^|:)(0(:|$)){2,}", "::").replaceFirst(":::", "::");
  }

  /** {@code ipvsadm -Lcn} on {@code director}, the rows of the test's virtual addresses. */
  private static Set<Row> ipvsadmRows(Host director, int vipNumber) {
    return ipvsadmLines(director, vipNumber).keySet();
  }

  /** Row to remaining seconds. */
  private static Map<Row, Integer> ipvsadmLines(Host director, int vipNumber) {
    Set<String> vips =
        Set.of(
            lan.ipv4(vipNumber).getHostAddress(), compress(lan.ipv6(vipNumber).getHostAddress()));
    Map<Row, Integer> rows = new HashMap<>();
    for (String line : director.run("ipvsadm", "-Lcn").stdout().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 6 || !(f[0].equals("TCP") || f[0].equals("UDP"))) {
        continue;
      }
      String virtual = f[4].substring(0, f[4].lastIndexOf(':')).replace("[", "").replace("]", "");
      if (!vips.contains(virtual)) {
        continue;
      }
      String[] expire = f[1].split(":");
      rows.put(
          new Row(f[0], f[2], f[3], f[4], f[5]),
          Integer.parseInt(expire[0]) * 60 + Integer.parseInt(expire[1]));
    }
    return rows;
  }
}
