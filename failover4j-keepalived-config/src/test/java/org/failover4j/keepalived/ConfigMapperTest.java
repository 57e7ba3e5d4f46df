package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.TrackedInterface;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.VrrpVersion;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigMapperTest {

  private static final String INSTANCE_1 =
      """
      vrrp_instance VI_1 {
        state BACKUP
        interface eth0
        virtual_router_id 51
        priority 150
        advert_int 2
        nopreempt
        preempt_delay 10
        virtual_ipaddress {
          192.0.2.100/24 dev eth0 scope global
          192.0.2.101
        }
        track_interface {
          eth1 weight -20
          eth2
        }
        track_script {
          chk
          chk2 weight 5
        }
        unicast_src_ip 192.0.2.1
        unicast_peer {
          192.0.2.2
        }
        authentication {
          auth_type AH
          auth_pass secret1
        }
        garp_master_delay 3
        garp_master_repeat 2
        garp_master_refresh 60
        garp_master_refresh_repeat 4
        lower_prio_no_advert true
        notify_master "/bin/echo master 'two words'"
        notify "/bin/echo any" nobody
      }
      """;

  private static KeepalivedConfig read(String text) {
    return read(text, false);
  }

  private static KeepalivedConfig read(String text, boolean warn) {
    KeepalivedConfig.Reader reader =
        KeepalivedConfig.read(Path.of("/etc/k/main.conf")).configId("lb1").checkHost(false);
    if (warn) {
      reader.warnOnUnsupported();
    }
    return reader.build(new MemoryFiles().put("/etc/k/main.conf", text));
  }

  private static final String SCRIPTS =
      """
      global_defs {
        router_id lb1
        notification_email { a@example.com }
      }
      vrrp_script chk {
        script "/bin/true"
        interval 2
        weight -30
        rise 2
        fall 3
      }
      vrrp_script chk2 {
        script /bin/false
      }
      """;

  @Test
  void anInstanceMapsEveryKeyword() throws Exception {
    KeepalivedConfig config = read(SCRIPTS + INSTANCE_1);
    VrrpInstanceConfig c = config.instances().get(0);
    assertEquals("VI_1", c.name());
    assertEquals("eth0", c.iface());
    assertEquals(51, c.vrid());
    assertEquals(150, c.priority());
    assertEquals(VrrpVersion.V2, c.version(), "keepalived's default version is 2");
    assertEquals(Duration.ofSeconds(2), c.advertInterval());
    assertFalse(c.preempt());
    assertEquals(Duration.ofSeconds(10), c.preemptDelay());
    assertEquals("[192.0.2.100/24 dev eth0, 192.0.2.101/32]", c.virtualAddresses().toString());
    assertEquals(
        List.of(new TrackedInterface("eth1", -20), new TrackedInterface("eth2", 0)),
        c.trackedInterfaces());
    assertEquals("chk", c.trackedChecks().get(0).name());
    assertEquals(-30, c.trackedChecks().get(0).weight());
    assertEquals(Duration.ofSeconds(2), c.trackedChecks().get(0).interval());
    assertEquals(5, c.trackedChecks().get(1).weight());
    assertEquals(InetAddress.getByName("192.0.2.1"), c.unicastSource());
    assertEquals(List.of(InetAddress.getByName("192.0.2.2")), c.unicastPeers());
    assertEquals(AuthType.IPSEC_AH, c.wire().authType());
    assertEquals(
        new GratuitousAnnouncements(Duration.ofSeconds(3), 2, Duration.ofSeconds(60), 4),
        c.announcements());
    assertTrue(c.lowerPriorityNoAdvert());
    assertEquals(1, config.notices().size(), "one notice for the email settings");
  }

  @Test
  void trackScriptsRunTheScriptWithRiseAndFall() throws Exception {
    KeepalivedConfig config = read(SCRIPTS + INSTANCE_1);
    var passing = config.instances().get(0).trackedChecks().get(0).check();
    // rise 2: one success short of healthy at first, as keepalived starts.
    assertTrue(passing.healthy());
    var failing = config.instances().get(0).trackedChecks().get(1).check();
    assertFalse(failing.healthy());
    assertFalse(failing.healthy());
  }

  @Test
  void defaultsFollowKeepalived() {
    KeepalivedConfig config =
        read(
            """
            global_defs { vrrp_version 3 }
            vrrp_instance A { state MASTER
              interface eth0
              virtual_router_id 1
              advert_int 0.5
              virtual_ipaddress { 192.0.2.1/24 }
            }
            vrrp_instance B { interface eth0
              virtual_router_id 2
              virtual_ipaddress { 2001:db8::1/64 }
            }
            """);
    assertEquals(255, config.instances().get(0).priority(), "state MASTER without priority");
    assertEquals(VrrpVersion.V3, config.instances().get(0).version());
    assertEquals(Duration.ofMillis(500), config.instances().get(0).advertInterval());
    assertEquals(100, config.instances().get(1).priority());
  }

  @Test
  void syncGroupsAndTheirNotifyScripts() {
    KeepalivedConfig config =
        read(
            """
            vrrp_sync_group G1 {
              group {
                A
                B
              }
              notify_master /bin/true
              notify /bin/true
            }
            vrrp_instance A { interface eth0
              virtual_router_id 1
              virtual_ipaddress { 192.0.2.1/24 }
            }
            vrrp_instance B { interface eth1
              virtual_router_id 2
              virtual_ipaddress { 198.51.100.1/24 }
            }
            virtual_server 192.0.2.1 80 {
              real_server 192.0.2.9 80 { weight 1 }
            }
            virtual_server 192.0.2.1 443 {
            }
            """);
    assertEquals(Map.of("G1", List.of("A", "B")), config.syncGroups());
    assertEquals(1, config.notices().size());
    assertTrue(config.notices().get(0).message().contains("2 virtual_server blocks"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2001:db8::1/64 label eth0:v6 | label",
        "2001:db8::1/64 scope link | scope",
        "192.0.2.1/24 scope nowhere | scope",
        "192.0.2.1/24 label eth0:sixteen-byte | label",
        "192.0.2.1/24 dev eth1 dev eth2 | dev",
        "192.0.2.1/24 label | label",
        "192.0.2.1/24 peer 192.0.2.2 | peer"
      })
  void aPlacementTheKernelWouldNotTakeIsRefusedAtItsKeyword(String vip, String keyword) {
    String text =
        """
        vrrp_instance A {
          interface eth0
          virtual_router_id 1
          virtual_ipaddress {
            VIP
          }
        }
        """
            .replace("VIP", vip);
    KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, () -> read(text));
    assertEquals(5, e.line(), e.getMessage());
    assertEquals(keyword, e.keyword(), e.getMessage());
  }

  @Test
  void aDeviceThisHostDoesNotHaveIsRefusedAsKeepalivedRefusesIt() {
    // "lo" is on every host; "f4j-none0" on none.
    String text =
        """
        vrrp_instance A {
          interface lo
          virtual_router_id 1
          virtual_ipaddress {
            192.0.2.1/32 dev f4j-none0
          }
        }
        """;
    KeepalivedConfigException e =
        assertThrows(
            KeepalivedConfigException.class,
            () ->
                KeepalivedConfig.read(Path.of("/etc/k/main.conf"))
                    .configId("lb1")
                    .build(new MemoryFiles().put("/etc/k/main.conf", text)));
    assertEquals("dev", e.keyword(), e.getMessage());
    assertEquals(5, e.line());
  }

  @Test
  void unsupportedKeywordsNameFileLineAndKeyword() {
    String text =
        """
        vrrp_instance A {
          interface eth0
          virtual_router_id 1
          virtual_ipaddress {
            192.0.2.1/24 brd 192.0.2.255
          }
          virtual_ipaddress_excluded {
            192.0.2.9/24
          }
          auth_hmac secret
        }
        """;
    KeepalivedConfigException brd = assertThrows(KeepalivedConfigException.class, () -> read(text));
    assertEquals(5, brd.line());
    assertEquals("brd", brd.keyword());
    assertEquals(Path.of("/etc/k/main.conf"), brd.file());
    KeepalivedConfigException hmac =
        assertThrows(
            KeepalivedConfigException.class,
            () ->
                read(
                    text.replace(" brd 192.0.2.255", "")
                        .replace("virtual_ipaddress_excluded {\n    192.0.2.9/24\n  }\n", "")));
    assertEquals("auth_hmac", hmac.keyword());
  }

  private static final String HMAC_INSTANCE =
      """
      vrrp_instance A {
        interface eth0
        virtual_router_id 7
        virtual_ipaddress { 192.0.2.1/24 }
        auth_hmac {
          key 1 hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
          key 2 KEY2
          active_key 2
          anti_replay monotonic
          time_window 12
          mode permissive
        }
      }
      """;

  @Test
  void authHmacMapsKeysActiveKeyModeAndAntiReplay(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("vrrp7");
    Files.writeString(keyFile, "0123456789abcdef0123456789abcdef-from-a-file\n");
    VrrpInstanceConfig c =
        read(HMAC_INSTANCE.replace("KEY2", "file:" + keyFile)).instances().get(0);
    HmacAuthentication hmac = c.wire().hmacAuthentication();
    assertTrue(hmac.hasKey(1) && hmac.hasKey(2) && !hmac.hasKey(3));
    assertEquals(2, hmac.activeKey());
    assertEquals(HmacMode.PERMISSIVE, hmac.mode());
    assertEquals(HmacAntiReplay.MONOTONIC, hmac.antiReplay());
    assertEquals(12, hmac.timeWindowSeconds(100));
    assertFalse(hmac.toString().contains("from-a-file"), hmac.toString());
  }

  @Test
  void authHmacMistakesNameTheLineAndNeverTheKey() {
    KeepalivedConfigException shortKey =
        assertThrows(
            KeepalivedConfigException.class,
            () -> read(HMAC_INSTANCE.replace("KEY2", "short-secret-value")));
    assertEquals("auth_hmac", shortKey.keyword());
    assertEquals(5, shortKey.line());
    assertFalse(shortKey.getMessage().contains("short-secret-value"), shortKey.getMessage());
    KeepalivedConfigException missingFile =
        assertThrows(
            KeepalivedConfigException.class,
            () -> read(HMAC_INSTANCE.replace("KEY2", "file:/nonexistent/f4j-key")));
    assertEquals(7, missingFile.line());
    KeepalivedConfigException both =
        assertThrows(
            KeepalivedConfigException.class,
            () ->
                read(
                    HMAC_INSTANCE
                        .replace("KEY2", "0123456789abcdef0123456789abcdef")
                        .replace(
                            "  auth_hmac {",
                            "  authentication {\n    auth_type PASS\n    auth_pass pw\n  }\n"
                                + "  auth_hmac {")));
    assertEquals("auth_hmac", both.keyword());
    KeepalivedConfigException mode =
        assertThrows(
            KeepalivedConfigException.class,
            () ->
                read(
                    HMAC_INSTANCE
                        .replace("KEY2", "0123456789abcdef0123456789abcdef")
                        .replace("mode permissive", "mode lenient")));
    assertEquals("auth_hmac", mode.keyword());
  }

  @Test
  void warningInsteadOfErrorListsEveryUnsupportedKeyword() {
    KeepalivedConfig config =
        read(
            """
            vrrp_instance A {
              interface eth0
              virtual_router_id 1
              virtual_ipaddress { 192.0.2.1/24 }
              dont_track_primary
              strict_mode
            }
            static_routes { 192.0.2.0/24 via 192.0.2.254 }
            """,
            true);
    assertEquals(
        List.of("dont_track_primary", "strict_mode", "static_routes"),
        config.notices().stream().map(Notice::keyword).toList());
    assertEquals(1, config.instances().size());
  }

  private static final String TWO_VMACS =
      """
      vrrp_instance LAN0_51 {
        interface eth0
        virtual_router_id 51
        use_vmac vr0.51
        virtual_ipaddress { 192.0.2.51/24 }
      }
      vrrp_instance LAN1_51 {
        interface eth1
        virtual_router_id 51
        use_vmac vr1.51
        virtual_ipaddress { 198.51.100.51/24 }
      }
      vrrp_instance PLAIN {
        interface eth0
        virtual_router_id 52
        use_vmac
        virtual_ipaddress { 192.0.2.52/24 }
      }
      """;

  @Test
  void useVmacNamesTheMacvlanOfEachInstance() {
    List<VrrpInstanceConfig> instances = read(TWO_VMACS).instances();
    assertEquals("vr0.51", instances.get(0).virtualMacName());
    assertEquals("vr1.51", instances.get(1).virtualMacName());
    assertEquals("vrrp.52", instances.get(2).virtualMacName(), "keepalived's name without one");
    VrrpRouter router =
        read(TWO_VMACS)
            .routerBuilder()
            .platform(new SimulatedPlatform(new VirtualTimeEventLoop()))
            .build();
    assertEquals(3, router.instances().size(), "one VRID on two interfaces, two macvlans");
    router.close();
  }

  @Test
  void useVmacRefusesWhatKeepalivedRefuses() {
    KeepalivedConfigException tooLong =
        assertThrows(
            KeepalivedConfigException.class,
            () -> read(TWO_VMACS.replace("vr1.51", "vmac_eth1_51_long")));
    assertEquals(10, tooLong.line());
    assertEquals(
        "/etc/k/main.conf:10: use_vmac: an interface name has 1..15 bytes, was 17",
        tooLong.getMessage());
    assertEquals(
        "/etc/k/main.conf:4: use_vmac: an interface name cannot be ..",
        assertThrows(KeepalivedConfigException.class, () -> read(TWO_VMACS.replace("vr0.51", "..")))
            .getMessage());
    assertEquals(
        "/etc/k/main.conf:4: use_vmac: an interface name cannot contain '/', was vr0/51",
        assertThrows(
                KeepalivedConfigException.class, () -> read(TWO_VMACS.replace("vr0.51", "vr0/51")))
            .getMessage());
    KeepalivedConfigException mac =
        assertThrows(
            KeepalivedConfigException.class,
            () -> read(TWO_VMACS.replace("vr0.51", "vr0.51 02:00:00:00:00:01")));
    assertEquals("02:00:00:00:00:01", mac.keyword());
    assertTrue(mac.getMessage().contains("not supported"), mac.getMessage());
    assertEquals(
        "/etc/k/main.conf:4: b: the virtual MAC interface is already named a",
        assertThrows(
                KeepalivedConfigException.class, () -> read(TWO_VMACS.replace("vr0.51", "a b")))
            .getMessage());
    KeepalivedConfig shared = read(TWO_VMACS.replace("vr1.51", "vr0.51"));
    VrrpRouter.Builder builder =
        shared.routerBuilder().platform(new SimulatedPlatform(new VirtualTimeEventLoop()));
    assertEquals(
        "instance: LAN1_51 and LAN0_51 would both create virtual MAC interface vr0.51",
        assertThrows(InvalidConfigurationException.class, builder::build).getMessage(),
        "keepalived ignores a name another instance uses; failover4j refuses it");
  }

  @Test
  void valuesOutOfRangeNameTheirLine() {
    String text =
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority 300\n"
            + " virtual_ipaddress { 192.0.2.1/24 }\n}\n";
    KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, () -> read(text));
    assertEquals(4, e.line());
    assertEquals("/etc/k/main.conf:4: priority: must be in 1..255, was 300", e.getMessage());
    KeepalivedConfigException v2 =
        assertThrows(
            KeepalivedConfigException.class,
            () -> read(text.replace("priority 300", "advert_int 0.5")));
    assertEquals("advert_int", v2.keyword());
    assertEquals(4, v2.line());
    KeepalivedConfigException pass =
        assertThrows(
            KeepalivedConfigException.class,
            () ->
                read(
                    text.replace(
                        "priority 300",
                        "authentication {\n auth_type PASS\n auth_pass 123456789\n}")));
    assertEquals("auth_pass", pass.keyword());
    assertFalse(pass.getMessage().contains("123456789"), "no secret in messages");
  }
}
