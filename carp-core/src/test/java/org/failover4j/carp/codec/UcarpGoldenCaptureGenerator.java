package org.failover4j.carp.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regenerates the golden captures from ucarp 1.5.2 in the lab. Disabled unless asked for:
 *
 * <pre>
 * ./mvnw -pl carp-core -am test -Dtest=UcarpGoldenCaptureGenerator \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailover4j.regenerate=golden
 * </pre>
 *
 * <p>Two ucarp hosts elect (advskew 0 and 100), the master is stopped, the backup takes over. Runs
 * differ only in timestamps, MAC addresses, IP identifications, counters and the frame count.
 */
@Interop(peers = {"ucarp", "tshark"})
@EnabledIfSystemProperty(named = "failover4j.regenerate", matches = "golden")
class UcarpGoldenCaptureGenerator {

  private static final Path OUTPUT =
      Path.of("src/test/resources/org/failover4j/carp/codec/" + UcarpGolden.RESOURCE_DIR);

  @ParameterizedTest
  @EnumSource(UcarpGolden.class)
  void regenerate(UcarpGolden golden, Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host u1 = lab.host("u1", lan);
    Host u2 = lab.host("u2", lan);
    Capture capture = lan.capture("golden", "ip proto 112");
    Ucarp master = Ucarp.start(u1, config(golden, u1, lan, 0));
    master.awaitMaster(Duration.ofSeconds(15));
    Ucarp backup = Ucarp.start(u2, config(golden, u2, lan, 100));
    Thread.sleep(4_000);
    master.close();
    backup.awaitMaster(Duration.ofSeconds(15));
    Thread.sleep(3_000);
    backup.close();
    Path file = capture.stop();
    Files.createDirectories(OUTPUT);
    Files.copy(file, OUTPUT.resolve(golden.file), StandardCopyOption.REPLACE_EXISTING);
  }

  private static UcarpConfig config(UcarpGolden golden, Host host, Lan lan, int advskew) {
    return new UcarpConfig()
        .iface(host.iface(lan))
        .sourceAddress(host.ipv4(lan).getHostAddress())
        .vhid(golden.vhid)
        .password(golden.password)
        .virtualAddress(golden.vip, 24)
        .advbase(1)
        .advskew(advskew);
  }
}
