package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpVersion;
import org.failover4j.vrrp.codec.AuthType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Configurations written for these tests (test resources {@code configs/}) that cover the VRRP
 * keywords of keepalived's own samples, read from disk: includes with globs, definitions,
 * conditionals, LVS and email settings skipped with notices; and one file per kind of refusal.
 */
class RepresentativeConfigsTest {

  private static Path configs() throws URISyntaxException {
    return Path.of(RepresentativeConfigsTest.class.getResource("configs/keepalived.conf").toURI())
        .getParent();
  }

  private static KeepalivedConfig read(String configId) throws URISyntaxException {
    return KeepalivedConfig.read(configs().resolve("keepalived.conf"))
        .configId(configId)
        .checkHost(false)
        .build();
  }

  @Test
  void theIncludedFilesBuildEveryInstanceAndGroup() throws Exception {
    KeepalivedConfig config = read("lb1");
    List<String> names = config.instances().stream().map(VrrpInstanceConfig::name).toList();
    assertEquals(List.of("VI_1", "VI_2", "VI_6"), names);
    assertEquals(Map.of("VG1", List.of("VI_1", "VI_2")), config.syncGroups());

    VrrpInstanceConfig vi1 = config.instances().get(0);
    assertEquals("eth0", vi1.iface());
    assertEquals(150, vi1.priority(), "@lb1 sets $PRIO");
    assertEquals(VrrpVersion.V2, vi1.version());
    assertEquals(AuthType.SIMPLE_TEXT, vi1.wire().authType());
    assertEquals(3, vi1.virtualAddresses().size());
    assertEquals(-10, vi1.trackedInterfaces().get(0).weight());
    assertEquals("eth1", vi1.trackedInterfaces().get(0).name());
    assertEquals(-20, vi1.trackedChecks().get(0).weight());
    assertEquals(0, vi1.trackedChecks().get(1).weight());
    assertEquals(Duration.ofSeconds(2), vi1.announcements().delay(), "vrrp_garp_master_delay");

    VrrpInstanceConfig vi2 = config.instances().get(1);
    assertFalse(vi2.preempt());
    assertEquals(3, vi2.announcements().repeat());
    assertEquals(Duration.ofSeconds(60), vi2.announcements().refresh());
    assertTrue(vi2.lowerPriorityNoAdvert());

    VrrpInstanceConfig vi6 = config.instances().get(2);
    assertTrue(vi6.isIpv6());
    assertEquals(VrrpVersion.V3, vi6.version());
    assertEquals(Duration.ofMillis(500), vi6.advertInterval());
    assertTrue(vi6.virtualMac());
    assertEquals(1, vi6.unicastPeers().size());
    assertEquals(100, vi6.priority());

    List<String> noticed = config.notices().stream().map(Notice::keyword).toList();
    assertEquals(List.of("includem", "notification_email", "virtual_server"), noticed);
    assertEquals(100, read("lb2").instances().get(0).priority(), "@^lb1 for another id");
  }

  @Test
  void excludedAddressesOfEitherFamilyAreHeldButNotAdvertised() throws Exception {
    Path path = configs().resolve("excluded.conf");
    VrrpInstanceConfig vi1 =
        KeepalivedConfig.read(path).checkHost(false).build().instances().get(0);
    assertEquals(
        List.of("192.0.2.16/24"), vi1.virtualAddresses().stream().map(Object::toString).toList());
    assertEquals(
        List.of("192.0.2.116/24", "2001:db8::116/64 dev eth0"),
        vi1.excludedAddresses().stream().map(Object::toString).toList());
  }

  @Test
  void devScopeAndLabelPlaceAnAddressAsKeepalivedDoes() throws Exception {
    Path path = configs().resolve("placement.conf");
    VrrpInstanceConfig vi1 =
        KeepalivedConfig.read(path).checkHost(false).build().instances().get(0);
    assertEquals(
        List.of(
            "192.0.2.16/24",
            "192.0.2.17/24 scope host label eth0:vip",
            "198.51.100.17/24 dev eth1 scope link",
            "192.0.2.18/24 dev eth0 scope link"),
        vi1.virtualAddresses().stream().map(Object::toString).toList());
  }

  @ParameterizedTest
  @CsvSource({
    "static-routes.conf, 1, static_routes",
    "broadcast.conf, 5, brd",
    "track-file.conf, 1, vrrp_track_file",
    "group-members.conf, 2, VI_2"
  })
  void refusedNamingFileLineAndKeyword(String file, int line, String keyword) throws Exception {
    Path path = configs().resolve("refused").resolve(file);
    KeepalivedConfigException e =
        assertThrows(
            KeepalivedConfigException.class,
            () -> KeepalivedConfig.read(path).checkHost(false).build());
    assertEquals(path.toAbsolutePath().normalize(), e.file());
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(keyword, e.keyword(), e.getMessage());
    assertTrue(Files.readAllLines(path).get(line - 1).contains(keyword));
  }

  @Test
  void aScriptRunsAsItsUser() throws Exception {
    Path dir = Files.createTempDirectory("kaconf-user");
    try {
      Path conf = dir.resolve("k.conf");
      String check = "script \"/bin/sh -c 'test $(id -u) -eq 65534'\"";
      Files.writeString(
          conf,
          "vrrp_script as_nobody {\n "
              + check
              + "\n user nobody\n}\nvrrp_script as_me {\n "
              + check
              + "\n}\nvrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
              + " virtual_ipaddress { 192.0.2.1/24 }\n track_script {\n  as_nobody\n  as_me\n }\n}\n");
      VrrpInstanceConfig a =
          KeepalivedConfig.read(conf).checkHost(false).build().instances().get(0);
      boolean root = ScriptUser.current().uid() == 0;
      assertEquals(root, a.trackedChecks().get(0).check().healthy(), "setpriv to nobody");
      assertFalse(a.trackedChecks().get(1).check().healthy(), "as this process's user");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
