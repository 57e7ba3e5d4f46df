package org.failover4j.vrrp.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regenerates the golden captures from keepalived 2.2.7 in the lab. Disabled unless asked for:
 *
 * <pre>
 * ./mvnw -pl vrrp-core -am test -Dtest=GoldenCaptureGenerator \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailover4j.regenerate=golden
 * </pre>
 *
 * <p>It overwrites the files under {@code src/test/resources/.../golden/}; the golden tests then
 * check the new ones. Captures differ from run to run only in timestamps, MAC addresses, IPv6
 * link-local addresses and the number of frames.
 */
@Interop(peers = {"keepalived", "tshark"})
@EnabledIfSystemProperty(named = "failover4j.regenerate", matches = "golden")
class GoldenCaptureGenerator {

  private static final Path OUTPUT =
      Path.of("src/test/resources/org/failover4j/vrrp/codec/" + GoldenCapture.RESOURCE_DIR);
  private static final String FILTER = "ip proto 112 or ip proto 51 or ip6 proto 112";

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void regenerate(GoldenCapture golden, Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kad1 = lab.host("kad1", lan);
    Host kad2 = lab.host("kad2", lan);
    Duration interval =
        Duration.ofMillis((long) (Double.parseDouble(golden.advertInterval) * 1000));

    Path file;
    LabProcess hostCapture = null;
    Capture bridgeCapture = null;
    switch (golden.style) {
      case BRIDGE_PCAP, BRIDGE_PCAPNG -> bridgeCapture = lan.capture("golden", FILTER);
      case HOST_SLL -> hostCapture = startAny(kad2, "LINUX_SLL", "pcap");
      case HOST_SLL2 -> hostCapture = startAny(kad1, "LINUX_SLL2", "pcapng");
    }

    Keepalived master = Keepalived.start(kad1, config(golden, kad1, kad2, lan, 150, "MASTER"));
    master.awaitState("VI_1", "MASTER", Duration.ofSeconds(15));
    Keepalived backup = Keepalived.start(kad2, config(golden, kad2, kad1, lan, 100, "BACKUP"));
    backup.awaitState("VI_1", "BACKUP", Duration.ofSeconds(15));
    Thread.sleep(interval.multipliedBy(3).toMillis());
    master.close(); // priority 0 advert, then kad2 takes over
    backup.awaitState("VI_1", "MASTER", Duration.ofSeconds(15));
    Thread.sleep(interval.multipliedBy(3).toMillis());
    backup.close();

    if (bridgeCapture != null) {
      file = bridgeCapture.stop();
      if (golden.style == GoldenCapture.Style.BRIDGE_PCAPNG) {
        Path converted = lab.file("golden.pcapng");
        kad1.run("editcap", "-F", "pcapng", file.toString(), converted.toString());
        file = converted;
      }
    } else {
      Thread.sleep(600); // dumpcap's ring timeout, as Capture.stop() waits
      hostCapture.signal("INT");
      hostCapture.waitFor(Duration.ofSeconds(10));
      file =
          lab.file(
              "golden-any." + (golden.style == GoldenCapture.Style.HOST_SLL ? "pcap" : "pcapng"));
    }
    Files.createDirectories(OUTPUT);
    Files.copy(file, OUTPUT.resolve(golden.file), StandardCopyOption.REPLACE_EXISTING);
  }

  private static LabProcess startAny(Host host, String linkType, String format) {
    String name = "golden-any." + ("pcap".equals(format) ? "pcap" : "pcapng");
    Path file = host.lab().file(name);
    LabProcess tshark =
        host.start(
            "capture-any",
            List.of(
                "tshark",
                "-n",
                "-q",
                "-i",
                "any",
                "-y",
                linkType,
                "-F",
                format,
                "-w",
                file.toString(),
                "-f",
                FILTER));
    tshark.awaitOutput("Capturing on", Duration.ofSeconds(15));
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return tshark;
  }

  private static KeepalivedConfig config(
      GoldenCapture golden, Host self, Host peer, Lan lan, int priority, String state) {
    KeepalivedConfig config = new KeepalivedConfig(self.name());
    KeepalivedConfig.Instance instance =
        config
            .instance("VI_1")
            .iface("eth0")
            .state(state)
            .vrid(golden.vrid)
            .priority(priority)
            .version(golden.version)
            .advertInterval(
                Duration.ofMillis((long) (Double.parseDouble(golden.advertInterval) * 1000)));
    golden.vips.forEach(instance::vip);
    if (golden.auth == AuthType.SIMPLE_TEXT) {
      instance.authPass(golden.password);
    } else if (golden.auth == AuthType.IPSEC_AH) {
      instance.authAh(golden.password);
    }
    if (golden.unicast) {
      instance.unicast(self.ipv4(lan).getHostAddress(), peer.ipv4(lan).getHostAddress());
    }
    return config;
  }
}
