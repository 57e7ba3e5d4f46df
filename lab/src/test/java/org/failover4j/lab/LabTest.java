package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@Interop(peers = {"tshark", "nft"})
class LabTest {

  /** Sends {@code count} UDP datagrams with bash's /dev/udp, the one sender every host has. */
  private static void sendUdp(Host from, String to, int port, int count) {
    from.run(
        "bash",
        "-c",
        "for i in $(seq " + count + "); do echo lab$i > /dev/udp/" + to + "/" + port + "; done");
  }

  @Test
  void hostsOnALanGetDocumentationAddressesAndReachEachOther(Lab lab) {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    assertTrue(a.addresses("eth0").contains("192.0.2.11/24"), a.addresses("eth0").toString());
    assertTrue(b.addresses("eth0").contains("2001:db8::12/64"), b.addresses("eth0").toString());

    Capture capture = lan.capture("udp", "udp port 9999");
    sendUdp(a, "192.0.2.12", 9999, 3);
    sendUdp(a, "2001:db8::12", 9999, 2);
    List<List<String>> rows = capture.fields("udp.dstport == 9999", "ip.src", "ipv6.src");
    assertEquals(5, rows.size(), rows.toString());
    assertEquals(List.of("192.0.2.11", ""), rows.get(0));
    assertEquals(List.of("", "2001:db8::11"), rows.get(4));
  }

  @Test
  void javaCodeRunsInsideAHostThroughItsExecutor(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    DatagramChannel receiver =
        b.call(() -> DatagramChannel.open().bind(new InetSocketAddress(b.ipv4(lan), 9999)));
    DatagramChannel sender = a.call(DatagramChannel::open);
    // The channels belong to the namespaces they were opened in; this thread can use them.
    sender.send(
        ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)),
        new InetSocketAddress(b.ipv4(lan), 9999));
    ByteBuffer received = ByteBuffer.allocate(64);
    InetSocketAddress from = (InetSocketAddress) receiver.receive(received);
    assertEquals(a.ipv4(lan), from.getAddress());
    assertEquals(5, received.position());
    assertEquals(
        List.of("lo", "eth0"),
        a.call(
            () ->
                Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName)
                    .sorted(Comparator.reverseOrder())
                    .toList()));
    sender.close();
    receiver.close();
  }

  @Test
  void aHostOnTwoLansHasOneInterfacePerLan(Lab lab) {
    Lan first = lab.lan("first");
    Lan second = lab.lan("second");
    Host router = lab.host("router", first, second);
    assertEquals("eth0", router.iface(first));
    assertEquals("eth1", router.iface(second));
    assertTrue(router.addresses("eth1").contains("198.51.100.11/24"));
  }

  @Test
  void lossAndPartitionRulesDropFramesOnTheBridge(Lab lab) {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host c = lab.host("c", lan);
    lan.partition(Set.of(a), Set.of(c));
    Capture atB = b.capture("b", "eth0", "udp port 9999");
    Capture atC = c.capture("c", "eth0", "udp port 9999");
    sendUdp(a, "192.0.2.12", 9999, 5);
    sendUdp(a, "192.0.2.13", 9999, 5);
    assertEquals(5, atB.count(""));
    assertEquals(0, atC.count(""));

    lan.heal();
    lan.loss(100);
    Capture lossy = b.capture("lossy", "eth0", "udp port 9999");
    sendUdp(a, "192.0.2.12", 9999, 5);
    assertEquals(0, lossy.count(""));

    lan.heal();
    // The partition left a failed ARP entry for c; forget it so a resolves c again at once.
    a.run("ip", "neigh", "flush", "dev", "eth0");
    Capture healed = c.capture("healed", "eth0", "udp port 9999");
    sendUdp(a, "192.0.2.13", 9999, 5);
    assertEquals(5, healed.count(""));
  }

  @Test
  void linksGoDownAndUp(Lab lab) {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    a.linkDown(lan);
    assertEquals("DOWN", a.link("eth0").get("operstate"));
    a.linkUp(lan);
    lan.unplug(b);
    assertTrue(
        ((List<?>) b.link("eth0").get("flags")).contains("NO-CARRIER"), b.link("eth0").toString());
    lan.plug(b);
  }

  @Test
  void closeStopsProcessesAndDeletesNamespaces() {
    Lab lab = Lab.create("close");
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    LabProcess sleeper = a.start("sleep", "sleep", "600");
    String namespace = a.namespace();
    assertTrue(namespaces().contains(namespace));
    lab.close();
    assertFalse(sleeper.isAlive());
    assertFalse(namespaces().contains(namespace));
    assertFalse(namespaces().contains(lab.switchNamespace()));
  }

  /**
   * A JVM killed with SIGKILL mid-test leaves namespaces and processes; the next lab removes them.
   */
  @Test
  void theNextLabCleansUpAfterAKilledJvm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), AbandonedLab.class.getName())
            .redirectErrorStream(true)
            .start();
    String ready = readyLine(child);
    String namespace = ready.substring("ready ".length()).split("\\s+")[0];
    long sleeperPid = Long.parseLong(ready.split("\\s+")[2]);
    child.destroyForcibly().waitFor();
    assertTrue(namespaces().contains(namespace), "the killed JVM left " + namespace);
    assertTrue(ProcessHandle.of(sleeperPid).map(ProcessHandle::isAlive).orElse(false));

    Lab.create("after-kill").close();

    assertFalse(namespaces().contains(namespace));
    awaitGone(sleeperPid);
  }

  private static String readyLine(Process child) throws IOException {
    var reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("ready ")) {
        return line;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("child exited without reporting:\n" + seen);
  }

  private static void awaitGone(long pid) throws InterruptedException {
    for (int i = 0;
        i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        i++) {
      Thread.sleep(20);
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private static String namespaces() {
    return Shell.run(List.of("ip", "netns", "list")).orThrow().stdout();
  }

  /** Run in a child JVM: makes a lab with a process inside, reports, then waits to be killed. */
  public static final class AbandonedLab {
    public static void main(String[] args) throws Exception {
      Lab lab = Lab.create("abandoned");
      Host host = lab.host("left", lab.lan("lan0"));
      LabProcess sleeper = host.start("sleep", "sleep", "600");
      System.out.println("ready " + host.namespace() + " " + sleeper.pid());
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5).toMillis());
    }
  }
}
