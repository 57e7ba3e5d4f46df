package org.failover4j.spring;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.failover4j.api.platform.Platform;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.vrrp.VrrpRouter;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The role sources besides VRRP and what follows them: CARP hosts from {@code
 * failover4j.carp.hosts.*}, IPVS sync channels from {@code failover4j.ipvs.sync.*}, and the
 * application's {@link FollowRole} beans.
 */
@AutoConfiguration(after = Failover4jAutoConfiguration.class)
@EnableConfigurationProperties({CarpProperties.class, IpvsSyncProperties.class})
public class Failover4jRoleSourcesAutoConfiguration {

  /** Used by Spring. */
  public Failover4jRoleSourcesAutoConfiguration() {}

  /**
   * The CARP hosts the properties describe, run with the context.
   *
   * @param carp the CARP properties
   * @param properties the platform choice and simulated addresses
   * @param lan the simulated LANs, when simulated
   * @param events where role changes are published
   * @param beans where {@link MasterOnly} beans are found
   * @return the hosts, not started
   * @throws IOException when the kernel platform cannot be opened
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @Conditional(OnCarpHosts.class)
  public CarpHosts failover4jCarpHosts(
      CarpProperties carp,
      Failover4jProperties properties,
      ObjectProvider<SimulatedLan> lan,
      ApplicationEventPublisher events,
      ListableBeanFactory beans)
      throws IOException {
    // Checked before the platform opens, so a bad property does not leave it open.
    carp.hosts().forEach(CarpHosts::config);
    Set<String> interfaces = new LinkedHashSet<>();
    carp.hosts().values().forEach(h -> interfaces.add(h.iface()));
    Platform platform =
        Failover4jPlatforms.carp(
            properties.platform() == Failover4jProperties.PlatformKind.SIMULATED
                ? lan.getObject()
                : null,
            interfaces,
            properties.simulation().addresses());
    return CarpHosts.create(carp, platform, events, beans);
  }

  /**
   * What follows a role source by name.
   *
   * @param router the VRRP router, if any
   * @param carpHosts the CARP hosts, if any
   * @param properties the sync groups
   * @param beans where {@link FollowRole} beans are found
   * @return the followers' registry
   */
  @Bean
  @ConditionalOnMissingBean
  public RoleFollowers failover4jRoleFollowers(
      ObjectProvider<VrrpRouter> router,
      ObjectProvider<CarpHosts> carpHosts,
      Failover4jProperties properties,
      ListableBeanFactory beans) {
    VrrpRouter vrrp = router.getIfAvailable();
    List<String> groups =
        vrrp == null ? List.of() : Failover4jAutoConfiguration.syncGroups(vrrp, properties);
    return new RoleFollowers(new RoleSources(vrrp, groups, carpHosts.getIfAvailable()), beans);
  }

  /** IPVS sync channels from properties, when ipvs-sync-codec is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(IpvsSyncChannel.class)
  static class Ipvs {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @Conditional(OnIpvsSync.class)
    IpvsSyncChannels failover4jIpvsSyncChannels(
        IpvsSyncProperties properties, RoleFollowers followers) {
      return IpvsSyncChannels.open(properties, followers);
    }
  }

  /** Matches when at least one {@code failover4j.carp.hosts.*} is configured. */
  static final class OnCarpHosts extends OnConfiguredEntries {
    OnCarpHosts() {
      super("failover4j.carp.hosts");
    }
  }

  /** Matches when at least one {@code failover4j.ipvs.sync.*} is configured. */
  static final class OnIpvsSync extends OnConfiguredEntries {
    OnIpvsSync() {
      super("failover4j.ipvs.sync");
    }
  }
}
