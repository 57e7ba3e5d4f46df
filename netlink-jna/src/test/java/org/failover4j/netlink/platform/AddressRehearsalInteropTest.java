package org.failover4j.netlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * {@link NetlinkPlatform#rehearseTakeover()} rehearses an address add per family on the interface
 * index no interface has, so a cold takeover does not run that path for the first time; the kernel
 * refuses it and nothing changes, and were there such an interface the address would go again at
 * once.
 */
@Interop(peers = {})
class AddressRehearsalInteropTest {

  private static final String HIGHEST_INDEX = Integer.toString(Integer.MAX_VALUE);

  @Test
  void openingLeavesEveryAddressAsItWas(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host node = lab.host("node", lan);
    String before = node.run("ip", "-o", "address", "show").stdout();

    node.call(AddressRehearsalInteropTest::openRehearseAndClose);

    assertEquals(before, node.run("ip", "-o", "address", "show").stdout());
  }

  @Test
  void onAnInterfaceWithTheRehearsalsIndexTheAddressIsAddedAndRemovedAgain(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host node = lab.host("node", lan);
    node.run(
        "ip",
        "link",
        "add",
        "name",
        "last",
        "index",
        HIGHEST_INDEX,
        "type",
        "veth",
        "peer",
        "name",
        "last-peer");
    node.run("ip", "link", "set", "last", "up");
    LabProcess monitor = node.start("monitor", "ip", "monitor", "address");
    try {
      // The monitor subscribes before its first line: give it a moment, then prove it listens.
      Thread.sleep(200);
      node.run("ip", "address", "add", "198.51.100.9/32", "dev", "last");
      monitor.awaitOutput("198\\.51\\.100\\.9", Duration.ofSeconds(5));

      node.call(AddressRehearsalInteropTest::openRehearseAndClose);

      monitor.awaitOutput("Deleted .*192\\.0\\.2\\.1/24", Duration.ofSeconds(5));
      monitor.awaitOutput("Deleted .*2001:db8::1/64", Duration.ofSeconds(5));
      String left = node.run("ip", "-o", "address", "show", "dev", "last").stdout();
      assertFalse(left.contains("192.0.2.1/"), left);
      assertFalse(left.contains("2001:db8::1/"), left);
    } finally {
      monitor.close();
    }
  }

  /** Opens a platform, asks for the rehearsal twice, waits until the loop has played it, closes. */
  private static Void openRehearseAndClose() throws Exception {
    NetlinkPlatform platform = NetlinkPlatform.open();
    platform.rehearseTakeover();
    platform.rehearseTakeover(); // played once per platform
    java.util.concurrent.CountDownLatch played = new java.util.concurrent.CountDownLatch(1);
    platform.eventLoop().execute(played::countDown); // the loop runs its tasks in order
    played.await();
    platform.close();
    return null;
  }
}
