package org.failover4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.failover4j.lab.EspSas;
import org.failover4j.lab.GuestKernel;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * The examples on a kernel with ESP, in the kernel lab's guest: {@code ipsec-gateway --real} finds
 * the gateways' real ESP SA, syncs its sequence number while traffic flows, and after the master is
 * killed the backup installs it with the margin, so the peer accepts the new master's packets
 * without one replay error; {@code load-balancer --real} fills the backup's table from the kernel's
 * own master sync daemon and takes over with it (ExamplesInteropTest runs the examples on the
 * host's kernel, which has neither ESP nor IPVS: there the gateways fall back to the simulated
 * kernel).
 */
@Interop(peers = "ipvsadm")
@GuestKernel(
    modules = {"esp4", "xfrm_user", "gcm", "ctr", "ghash_generic", "seqiv", "ip_vs", "ip_vs_rr"},
    timeoutSeconds = 600)
class ExamplesKernelInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int SPI = 0x1000;

  /**
   * Starts an example niced up: on the guest's one CPU its VRRP adverts must not wait behind the
   * test's traffic. C1 only and the serial collector: a JIT and GC thread fewer to share that CPU,
   * which starts the JVM sooner.
   */
  private static LabProcess example(Host host, String name, Class<?> example, String... args) {
    List<String> command = new ArrayList<>(List.of("nice", "-n", "-10"));
    command.addAll(ExamplesInteropTest.javaCommand(example, args));
    command.addAll(4, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return host.start(name, command);
  }

  @Test
  void ipsecGatewayTakesTheRealEspSaOverWithoutReplayErrorsAtThePeer(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host c = lab.host("c", lan);
    InetAddress vip = lan.ipv4(254); // the example's tunnel address
    InetAddress peer = c.ipv4(lan);
    for (Host gateway : List.of(a, b)) { // what an IKE daemon would install on both
      EspSas.add(gateway, vip, peer, SPI, 32, false);
      EspSas.udpPolicy(gateway, vip, peer, "out");
    }
    EspSas.add(c, vip, peer, SPI, 32, false);
    EspSas.udpPolicy(c, vip, peer, "in");
    String addrA = a.ipv4(lan).getHostAddress();
    String addrB = b.ipv4(lan).getHostAddress();
    String spi = "0x" + Integer.toHexString(SPI);
    LabProcess gwA =
        example(
            a,
            "gw-a",
            IpsecGatewayPair.class,
            "--real",
            "eth0",
            addrA,
            addrB,
            peer.getHostAddress(),
            spi,
            "150");
    gwA.awaitOutput("gw MASTER", WAIT);
    LabProcess gwB =
        example(
            b,
            "gw-b",
            IpsecGatewayPair.class,
            "--real",
            "eth0",
            addrB,
            addrA,
            peer.getHostAddress(),
            spi,
            "100");
    gwB.awaitOutput("gw BACKUP", WAIT);
    assertTrue(gwA.output().contains("SA state: the kernel's XFRM"), gwA.output());
    assertTrue(gwB.output().contains("SA state: the kernel's XFRM"), gwB.output());

    // Traffic from the tunnel address to the peer through the SA: 1,000 packets a second, 2 s.
    DatagramChannel fromA = a.udpSocketOn(vip, WAIT);
    send(fromA, new InetSocketAddress(peer, 9000), 2_000);
    Thread.sleep(1_500); // the kernel's event timer and the sync
    long takeoversBefore = takeovers(gwB).size();
    gwA.signal("KILL"); // the master's host dies: its process and its traffic
    fromA.close();
    long aSent = EspSas.lifetimePackets(a, SPI);
    long aFinal = EspSas.outboundSequence(a, SPI);

    // The takeover after the kill (a guest this loaded may have shown earlier, false ones).
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (takeovers(gwB).size() <= takeoversBefore && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    List<Matcher> all = takeovers(gwB);
    assertTrue(all.size() > takeoversBefore, "no takeover after the kill:\n" + gwB.output());
    Matcher takeover = all.get(all.size() - 1);
    long synced = Long.parseLong(takeover.group(1));
    long installed = Long.parseLong(takeover.group(2));
    DatagramChannel fromB = b.udpSocketOn(vip, WAIT);
    send(fromB, new InetSocketAddress(peer, 9000), 1_000);
    fromB.close();
    long bSent = EspSas.outboundSequence(b, SPI) - installed;

    long accepted = EspSas.lifetimePackets(c, SPI);
    long seqErrors = EspSas.stat(c, "XfrmInStateSeqError");
    System.out.printf(
        "ipsec-gateway --real: gw-a sent %d (oseq %d); gw-b's takeover %d of %d (earlier ones: false"
            + " takeovers while gw-a lived, its adverts delayed in this one-CPU guest) installed %d"
            + " from synced %d (margin %d), %d above gw-a's last; gw-b sent %d; the peer accepted"
            + " %d, XfrmInStateSeqError %d%n",
        aSent,
        aFinal,
        all.size(),
        all.size(),
        installed,
        synced,
        installed - synced,
        installed - aFinal,
        bSent,
        accepted,
        seqErrors);
    assertTrue(aSent >= 1_000 && bSent >= 500, "too little traffic: " + aSent + ", " + bSent);
    assertTrue(installed > aFinal, "installed " + installed + " <= gw-a's last " + aFinal);
    assertEquals(0, seqErrors, "the peer saw reused sequence numbers");
    assertEquals(0, EspSas.replayFailures(c, SPI));
    assertEquals(aSent + bSent, accepted, "every packet of both gateways accepted");
    gwB.stop(WAIT);
  }

  @Test
  void loadBalancerBackupFillsItsTableFromTheKernelMasterAndTakesOverWithIt(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host client = lab.host("c", lan);
    InetAddress vip = lan.ipv4(10); // the example's service address
    // On a, the director: a UDP service forwarded to a real server (whether that one exists does
    // not matter to the sync: the kernel syncs the connection at its third packet either way), and
    // the kernel's own master sync daemon.
    String service = vip.getHostAddress() + ":53";
    String real = lan.ipv4(20).getHostAddress() + ":53";
    a.run(
        "sh",
        "-c",
        String.join(
            " && ",
            "ipvsadm -A -u " + service + " -s rr",
            "ipvsadm -a -u " + service + " -r " + real + " -g",
            "ipvsadm --start-daemon master --mcast-interface eth0 --syncid 9"));
    long start = System.nanoTime();
    LabProcess lbA = example(a, "lb-a", LoadBalancerPair.class, "--real", "eth0", "150");
    LabProcess lbB = example(b, "lb-b", LoadBalancerPair.class, "--real", "eth0", "100");
    // Started together, b may be master until a's first advert preempts it.
    awaitRole(lbA, "lb MASTER");
    awaitRole(lbB, "lb BACKUP");
    double started = (System.nanoTime() - start) / 1e9;

    // Five clients through a: the kernel syncs a UDP connection at its third packet.
    int clients = 5;
    List<DatagramChannel> sockets = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      DatagramChannel socket = client.call(DatagramChannel::open);
      sockets.add(socket);
      for (int packet = 0; packet < 3; packet++) {
        socket.send(ByteBuffer.allocate(8), new InetSocketAddress(vip, 53));
      }
    }
    String onA = a.run("ipvsadm", "-Lcn").stdout();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (tableLines(lbB).size() < clients && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    List<String> added = tableLines(lbB);
    assertEquals(clients, added.size(), "lb-b's table:\n" + lbB.output() + "\non a:\n" + onA);
    for (DatagramChannel socket : sockets) { // each line is one of the clients, to r
      InetSocketAddress local = (InetSocketAddress) socket.getLocalAddress();
      String line =
          "lb table: added "
              + client.ipv4(lan).getHostAddress()
              + ":"
              + local.getPort()
              + " -> "
              + real;
      assertTrue(added.contains(line), line + " not in " + added);
      assertTrue(onA.contains(":" + local.getPort() + " "), "ipvsadm -Lcn on a:\n" + onA);
      socket.close();
    }

    assertEquals("lb BACKUP", last(roleLines(lbB)), "lb-b flapped: " + lbB.output());
    double synced = (System.nanoTime() - start) / 1e9 - started;

    lbA.signal("KILL"); // the master's host dies
    long killed = System.nanoTime();
    lbB.awaitOutput("lb MASTER \\(\\S+\\), " + clients + " connections in the table", WAIT);
    System.out.printf(
        "load-balancer --real: both examples up (a MASTER, b BACKUP) in %.1f s; lb-b's table got"
            + " all %d connections of a's kernel master daemon (ipvsadm -Lcn) %.1f s later; lb-b"
            + " took over with them %.1f s after a's kill; lb-b's roles: %s%n",
        started, clients, synced, (System.nanoTime() - killed) / 1e9, roleLines(lbB));
    a.run("ipvsadm", "--stop-daemon", "master");
    lbB.stop(WAIT);
  }

  private static List<String> tableLines(LabProcess process) {
    return process.output().lines().filter(l -> l.startsWith("lb table: added")).toList();
  }

  /** The role changes an {@code lb} example printed, such as {@code lb BACKUP}. */
  private static List<String> roleLines(LabProcess process) {
    return process
        .output()
        .lines()
        .filter(l -> l.matches("lb [A-Z]+ .*"))
        .map(l -> l.substring(0, l.indexOf(" (")))
        .toList();
  }

  /** Waits until the example's latest role line is {@code role}. */
  private static void awaitRole(LabProcess process, String role) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!last(roleLines(process)).equals(role) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(role, last(roleLines(process)), process.output());
  }

  private static String last(List<String> lines) {
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** gw-b's takeover lines for the SA so far: synced and installed sequence numbers. */
  private static List<Matcher> takeovers(LabProcess gateway) {
    Matcher m =
        java.util.regex.Pattern.compile(
                "gw takeover: esp 0x0*"
                    + Integer.toHexString(SPI)
                    + " to \\S+ synced oseq (\\d+), installed (\\d+)")
            .matcher(gateway.output());
    List<Matcher> found = new ArrayList<>();
    while (m.find()) {
      found.add(java.util.regex.Pattern.compile("(\\d+), installed (\\d+)").matcher(m.group()));
      found.get(found.size() - 1).find();
    }
    return found;
  }

  /** Sends {@code count} datagrams at 1,000 a second, in bursts of ten. */
  private static void send(DatagramChannel channel, InetSocketAddress to, int count)
      throws Exception {
    ByteBuffer payload = ByteBuffer.allocate(64);
    long next = System.nanoTime();
    for (int sent = 0; sent < count; sent += 10) {
      for (int i = 0; i < 10; i++) {
        channel.send(payload.clear(), to);
      }
      next += TimeUnit.MILLISECONDS.toNanos(10);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }
}
