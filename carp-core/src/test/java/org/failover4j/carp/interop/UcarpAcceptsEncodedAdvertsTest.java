package org.failover4j.carp.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.SendCounter;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.junit.jupiter.api.Test;

/**
 * Adverts the encoder writes, in ucarp 1.5.2's own eyes: a faster "master" in another namespace
 * sends them once per second through a raw socket (IP header included, as ucarp itself sends), and
 * ucarp stays BACKUP, or steps down from MASTER, with no "Bad digest" complaint. Under a wrong key
 * ucarp complains and takes over, so the check can fail.
 */
@Interop(peers = {"ucarp"})
class UcarpAcceptsEncodedAdvertsTest {

  private static final String VIP = "192.0.2.100";
  private static final String PASS = "s3cr3t";
  private static final int VHID = 10;

  @Test
  void aUcarpBackupStaysBackupUnderOurFasterAdverts(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    try (Sender sender = Sender.start(java, lan, PASS)) {
      Thread.sleep(1_500);
      try (Ucarp ucarp = Ucarp.start(uc, config(uc, lan))) {
        // Master down for ucarp is 3 s + 100/256 s: six seconds without taking over means every
        // advert in between was accepted.
        Thread.sleep(6_000);
        String log = ucarp.log();
        assertFalse(log.contains("ucarp-up"), "ucarp took over despite our adverts:\n" + log);
        assertFalse(log.contains("Bad digest"), log);
        assertFalse(uc.hasAddress(uc.iface(lan), InetAddress.getByName(VIP)), log);
        assertTrue(sender.sent() >= 6, sender.sent() + " adverts sent");
      }
    }
  }

  @Test
  void aUcarpMasterStepsDownForOurFasterAdverts(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    try (Ucarp ucarp = Ucarp.start(uc, config(uc, lan))) {
      ucarp.awaitMaster(Duration.ofSeconds(15));
      try (Sender sender = Sender.start(java, lan, PASS)) {
        ucarp.process().awaitOutput("Preferred master advertised", Duration.ofSeconds(10));
        Thread.sleep(5_000);
        String log = ucarp.log();
        assertTrue(log.lastIndexOf("ucarp-down") > log.lastIndexOf("ucarp-up"), log);
        assertFalse(uc.hasAddress(uc.iface(lan), InetAddress.getByName(VIP)), log);
        assertFalse(log.contains("Bad digest"), log);
      }
    }
  }

  @Test
  void underAWrongKeyUcarpComplainsAndTakesOver(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    try (Sender sender = Sender.start(java, lan, "guessed");
        Ucarp ucarp = Ucarp.start(uc, config(uc, lan))) {
      ucarp.awaitMaster(Duration.ofSeconds(15));
      ucarp.process().awaitOutput("Bad digest", Duration.ofSeconds(10));
    }
  }

  private static UcarpConfig config(Host host, Lan lan) {
    return new UcarpConfig()
        .iface(host.iface(lan))
        .sourceAddress(host.ipv4(lan).getHostAddress())
        .vhid(VHID)
        .password(PASS)
        .virtualAddress(VIP, 24)
        .advbase(1)
        .advskew(100);
  }

  /** Sends encoded adverts (advbase 1, advskew 0) once a second from a lab host. */
  private static final class Sender implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private final RawIpSocket socket;

    private Sender(RawIpSocket socket, Runnable loop) {
      this.socket = socket;
      this.thread = new Thread(loop, "carp-sender");
    }

    static Sender start(Host host, Lan lan, String pass) throws Exception {
      CarpKey key =
          CarpKey.of(
              VHID, pass.getBytes(StandardCharsets.UTF_8), List.of(InetAddress.getByName(VIP)));
      CarpAdvertEncoder encoder = new CarpAdvertEncoder(new CarpHmac(), key);
      SendCounter counter = new SendCounter(CounterMode.UCARP_COMPATIBLE, new SecureRandom());
      int source = ByteBuffer.wrap(host.ipv4(lan).getAddress()).getInt();
      int group = ByteBuffer.wrap(InetAddress.getByName("224.0.0.18").getAddress()).getInt();
      IpDestination to = IpDestination.of(InetAddress.getByName("224.0.0.18"));
      RawIpSocket raw = RawSockets.headerIncluded(host, lan);
      Sender[] self = new Sender[1];
      self[0] =
          new Sender(
              raw,
              () -> {
                ByteBuffer packet = ByteBuffer.allocateDirect(CarpAdvertEncoder.IPV4_LENGTH);
                int id = 1;
                while (self[0].running.get()) {
                  packet.clear();
                  encoder.encodeIpv4(packet, 0, source, group, id++, 1, 0, 0, counter.next(0));
                  try {
                    if (raw.send(packet, to) > 0) {
                      self[0].sent.incrementAndGet();
                    }
                    Thread.sleep(1_000);
                  } catch (InterruptedException e) {
                    return;
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              });
      self[0].thread.start();
      return self[0];
    }

    int sent() {
      return sent.get();
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      thread.interrupt();
      thread.join(5_000);
      socket.close();
    }
  }
}
