package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepalivedConfigTest {

  @Test
  void rendersInstancesSyncGroupsAndOptions() {
    KeepalivedConfig config = new KeepalivedConfig("kad1").global("vrrp_garp_master_delay 1");
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(51)
        .priority(150)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip("192.0.2.100/24")
        .noPreempt()
        .trackInterface("eth1", 0)
        .unicast("192.0.2.11", "192.0.2.12");
    config.instance("VI_2").iface("eth1").vrid(52).authAh("secret12").vip("198.51.100.100/24");
    config.syncGroup("G1", "VI_1", "VI_2");
    String text = config.render();

    assertTrue(text.contains("router_id kad1\n"), text);
    assertTrue(text.contains("vrrp_garp_master_delay 1\n"), text);
    assertTrue(text.contains("vrrp_sync_group G1 {\n  group {\n    VI_1\n    VI_2\n"), text);
    assertTrue(text.contains("advert_int 0.1\n"), text);
    assertTrue(text.contains("version 3\n"), text);
    assertTrue(text.contains("nopreempt\n"), text);
    assertTrue(text.contains("track_interface {\n    eth1\n  }"), text);
    assertTrue(text.contains("unicast_src_ip 192.0.2.11\n  unicast_peer {\n    192.0.2.12\n"));
    assertTrue(text.contains("auth_type AH\n    auth_pass secret12\n"), text);
    assertTrue(text.contains("advert_int 1\n"), text);
  }

  @Test
  void ucarpArgumentsCarryEverySetting() {
    UcarpConfig config =
        new UcarpConfig()
            .sourceAddress("192.0.2.11")
            .vhid(7)
            .password("pw")
            .virtualAddress("192.0.2.100", 24)
            .advskew(10)
            .preempt();
    String args = String.join(" ", config.arguments("/up", "/down"));
    assertTrue(args.contains("--vhid=7"), args);
    assertTrue(args.contains("--advskew=10"), args);
    assertTrue(args.contains("--preempt"), args);
    assertTrue(args.contains("--upscript=/up --downscript=/down"), args);
  }
}
