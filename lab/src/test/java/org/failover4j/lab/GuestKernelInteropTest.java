package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The kernel lab itself: these tests run in the guest, on its kernel, with the modules the host's
 * kernel lacks.
 */
@Interop(peers = {"ipvsadm", "ping"})
@GuestKernel(
    modules = {"esp4", "xfrm_user", "gcm", "ctr", "ghash_generic", "seqiv", "ip_vs", "ip_vs_rr"},
    timeoutSeconds = 300)
class GuestKernelInteropTest {

  @Test
  void runsOnTheGuestKernelWithItsModulesLoaded() throws Exception {
    assertTrue(GuestKernelExtension.inGuest());
    String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    assertEquals(UmlGuest.kernelVersion().orElseThrow(), release);
    String modules = Files.readString(Path.of("/proc/modules"));
    assertTrue(modules.contains("esp4 ") && modules.contains("ip_vs "), modules);
  }

  @Test
  void aLabInTheGuestHasIpvsAndEsp(Lab lab) {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    a.run("ipvsadm", "-A", "-t", "192.0.2.100:80", "-s", "rr");
    assertTrue(a.run("ipvsadm", "-Ln").stdout().contains("192.0.2.100:80"));
    a.run(
        "ip",
        "xfrm",
        "state",
        "add",
        "src",
        a.ipv4(lan).getHostAddress(),
        "dst",
        b.ipv4(lan).getHostAddress(),
        "proto",
        "esp",
        "spi",
        "0x100",
        "mode",
        "transport",
        "aead",
        "rfc4106(gcm(aes))",
        "0x0102030405060708090a0b0c0d0e0f1011121314",
        "128");
    assertTrue(a.run("ip", "xfrm", "state").stdout().contains("spi 0x00000100"));
    a.run("ping", "-c", "1", "-W", "2", b.ipv4(lan).getHostAddress());
  }
}
