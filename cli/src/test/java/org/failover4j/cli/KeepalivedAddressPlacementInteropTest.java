package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * keepalived.conf's {@code virtual_ipaddress} placement options against the kernel: one address
 * with a label and scope host on the instance's interface, one with {@code dev} on another
 * interface and scope link (both /32: the kernel refuses an address in the subnet of the
 * interface's own one with another scope, EINVAL "Invalid scope value", keepalived's as ours).
 * keepalived 2.2.7 places them first; when it freezes, {@code failover4j keepalived -f} places them
 * the same way ({@code ip -d addr show}: device, scope, label), adds back the one an operator
 * deletes, and releases both when keepalived returns and it is backup.
 */
@Interop(peers = {"keepalived"})
class KeepalivedAddressPlacementInteropTest {

  @Test
  void labelScopeAndDevicePlaceAddressesAsKeepalivedDoes(Lab lab) throws Exception {
    Lan lan0 = lab.lan("lan0");
    Lan lan1 = lab.lan("lan1");
    Host kadHost = lab.host("kad", lan0, lan1);
    Host javaHost = lab.host("java", lan0, lan1);
    InetAddress vip1 = lan0.ipv4(71);
    InetAddress vip2 = lan1.ipv4(72);
    String if0 = javaHost.iface(lan0);
    String if1 = javaHost.iface(lan1);
    assertEquals(List.of(if0, if1), List.of(kadHost.iface(lan0), kadHost.iface(lan1)));
    Path conf = lab.file("keepalived.conf");
    Files.writeString(
        conf,
        """
        @kad $STATE=MASTER
        @java $STATE=BACKUP
        @kad $PRIO=150
        @java $PRIO=100
        vrrp_instance VI_1 {
          state $STATE
          interface %s
          virtual_router_id 71
          priority $PRIO
          advert_int 1
          virtual_ipaddress {
            %s/32 label %s:vip scope host
            %s/32 dev %s scope link
          }
        }
        """
            .formatted(if0, vip1.getHostAddress(), if0, vip2.getHostAddress(), if1));

    try (Keepalived kad = Keepalived.start(kadHost, conf, "--config-id", "kad")) {
      // Both start at once: keepalived (state MASTER) is master long before failover4j's
      // Master_Down_Interval would end.
      LabProcess f4j = javaHost.start("failover4j", KeepalivedCommandInteropTest.failover4j(conf));
      try {
        kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(15));
        List<String> byKeepalived = placed(kadHost, if0, if1, vip1, vip2);
        assertEquals(
            List.of(
                if0 + " " + vip1.getHostAddress() + "/32 scope host label " + if0 + ":vip",
                if1 + " " + vip2.getHostAddress() + "/32 scope link label " + if1),
            byKeepalived,
            kad.log());
        f4j.awaitOutput("\"to\":\"BACKUP\"", Duration.ofSeconds(20));
        assertEquals(List.of(), placed(javaHost, if0, if1, vip1, vip2), f4j.tail());
        assertFalse(f4j.output().contains("\"to\":\"MASTER\""), f4j.tail());

        kad.freeze();
        f4j.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(10));
        assertEquals(byKeepalived, placed(javaHost, if0, if1, vip1, vip2), f4j.tail());

        // An operator deletes the address on the other device: it comes back as it was.
        javaHost.run("ip", "addr", "del", vip2.getHostAddress() + "/32", "dev", if1);
        await(
            () -> placed(javaHost, if0, if1, vip1, vip2).equals(byKeepalived),
            Duration.ofSeconds(3),
            f4j);
        assertTrue(f4j.output().contains("behind our back"), f4j.tail());

        // keepalived returns and preempts: both addresses leave both devices.
        kad.thaw();
        f4j.awaitOutput("\"to\":\"BACKUP\"[\\s\\S]*\"to\":\"BACKUP\"", Duration.ofSeconds(10));
        await(() -> placed(javaHost, if0, if1, vip1, vip2).isEmpty(), Duration.ofSeconds(3), f4j);
        assertEquals(byKeepalived, placed(kadHost, if0, if1, vip1, vip2), kad.log());
      } finally {
        assertEquals(0, f4j.stop(Duration.ofSeconds(15)), f4j.tail());
      }
      assertEquals(List.of(), kad.rejections(), "keepalived rejected nothing");
    }
  }

  /**
   * The two virtual addresses where {@code ip -j -d addr show} finds them: {@code DEVICE
   * ADDRESS/LEN scope SCOPE label LABEL}, in interface order.
   */
  private static List<String> placed(
      Host host, String if0, String if1, InetAddress vip1, InetAddress vip2) {
    List<String> found = new ArrayList<>();
    for (String iface : List.of(if0, if1)) {
      for (Object link :
          Json.parseArray(host.run("ip", "-j", "-d", "addr", "show", "dev", iface).stdout())) {
        for (Object info : Json.list(Json.map(link).get("addr_info"))) {
          Map<String, Object> a = Json.map(info);
          String local = (String) a.get("local");
          if (local.equals(vip1.getHostAddress()) || local.equals(vip2.getHostAddress())) {
            found.add(
                iface
                    + " "
                    + local
                    + "/"
                    + Json.number(a.get("prefixlen")).intValue()
                    + " scope "
                    + a.get("scope")
                    + " label "
                    + a.get("label"));
          }
        }
      }
    }
    return found;
  }

  private static void await(BooleanSupplier done, Duration timeout, LabProcess f4j)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ":\n" + f4j.tail());
      }
      Thread.sleep(50);
    }
  }
}
