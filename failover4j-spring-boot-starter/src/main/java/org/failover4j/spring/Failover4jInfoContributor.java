package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.AddressText;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code failover4j} to {@code /actuator/info}: each instance's configuration as a peer would
 * need it (VRID, version, interface, interval, virtual addresses, unicast peers) and its current
 * role. Authentication is reported by type only.
 */
public class Failover4jInfoContributor implements InfoContributor {

  private final VrrpRouter router;

  /**
   * A contributor for {@code router}.
   *
   * @param router the router
   */
  public Failover4jInfoContributor(VrrpRouter router) {
    this.router = router;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> instances = new LinkedHashMap<>();
    for (VrrpInstance instance : router.instances()) {
      VrrpInstanceConfig c = instance.config();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("role", instance.role());
      detail.put("vrid", c.vrid());
      detail.put("version", c.version().number());
      detail.put("interface", c.iface());
      detail.put("priority", c.priority());
      detail.put("advertInterval", c.advertInterval().toString());
      detail.put(
          "virtualAddresses", c.virtualAddresses().stream().map(VirtualAddress::toString).toList());
      detail.put("authentication", c.wire().authType());
      if (c.isUnicast()) {
        detail.put("unicastPeers", c.unicastPeers().stream().map(AddressText::of).toList());
      }
      detail.put("preempt", c.preempt());
      instances.put(instance.name(), detail);
    }
    builder.withDetail("failover4j", Map.of("vrrp", Map.of("instances", instances)));
  }
}
