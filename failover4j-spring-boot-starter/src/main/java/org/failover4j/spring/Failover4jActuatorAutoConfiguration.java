package org.failover4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.micrometer.CarpHostMetrics;
import org.failover4j.micrometer.IpvsSyncMetrics;
import org.failover4j.micrometer.SaSyncMetrics;
import org.failover4j.micrometer.VrrpRouterMetrics;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.xfrm.SaStateSync;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the router shows outside the JVM, each part only when its library is present: the {@code
 * failover4j}, {@code failover4jCarp} and {@code failover4jSync} health contributors, the info
 * contributor, and the Micrometer meters of the router, the CARP hosts, the IPVS sync channels (the
 * starter's and any bean) and any SA state sync bean.
 */
@AutoConfiguration(
    after = {Failover4jAutoConfiguration.class, Failover4jRoleSourcesAutoConfiguration.class})
public class Failover4jActuatorAutoConfiguration {

  /** Used by Spring. */
  public Failover4jActuatorAutoConfiguration() {}

  /** The health contributor, named {@code failover4j} after its bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(VrrpRouter.class)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("failover4j")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "failover4jHealthIndicator")
    Failover4jHealthIndicator failover4jHealthIndicator(
        VrrpRouter router, Failover4jProperties properties) {
      return new Failover4jHealthIndicator(
          router, Failover4jAutoConfiguration.syncGroups(router, properties));
    }
  }

  /** The CARP hosts' health contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(CarpHosts.class)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("failover4jCarp")
  static class CarpHealth {
    @Bean
    @ConditionalOnMissingBean(name = "failover4jCarpHealthIndicator")
    CarpHealthIndicator failover4jCarpHealthIndicator(CarpHosts hosts) {
      return new CarpHealthIndicator(hosts);
    }
  }

  /** The sync channels' and {@link FollowRole} beans' health contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(RoleFollowers.class)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("failover4jSync")
  static class SyncHealth {
    @Bean
    @ConditionalOnMissingBean(name = "failover4jSyncHealthIndicator")
    SyncHealthIndicator failover4jSyncHealthIndicator(RoleFollowers followers) {
      return new SyncHealthIndicator(followers);
    }
  }

  /** The info contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(VrrpRouter.class)
  @ConditionalOnClass(InfoContributor.class)
  @ConditionalOnEnabledInfoContributor("failover4j")
  static class Info {
    @Bean
    @ConditionalOnMissingBean(name = "failover4jInfoContributor")
    Failover4jInfoContributor failover4jInfoContributor(VrrpRouter router) {
      return new Failover4jInfoContributor(router);
    }
  }

  /** The router's meters, bound by Spring Boot to every registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(VrrpRouter.class)
  @ConditionalOnClass({MeterRegistry.class, VrrpRouterMetrics.class})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    VrrpRouterMetrics failover4jVrrpRouterMetrics(
        VrrpRouter router, Failover4jProperties properties) {
      return new VrrpRouterMetrics(
          router, Failover4jAutoConfiguration.syncGroups(router, properties));
    }
  }

  /** The meters of each CARP host. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(CarpHosts.class)
  @ConditionalOnClass({MeterRegistry.class, CarpHostMetrics.class})
  static class CarpMetrics {
    @Bean
    MeterBinder failover4jCarpHostMetrics(CarpHosts hosts) {
      return registry ->
          hosts.hosts().values().forEach(h -> new CarpHostMetrics(h).bindTo(registry));
    }
  }

  /** The meters of every {@link IpvsSyncChannel}: the starter's and the application's beans. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, IpvsSyncChannel.class})
  static class IpvsMetrics {
    @Bean
    @ConditionalOnBean(IpvsSyncChannel.class)
    MeterBinder failover4jIpvsSyncMetrics(ObjectProvider<IpvsSyncChannel> channels) {
      return registry ->
          channels.orderedStream().forEach(c -> new IpvsSyncMetrics(c).bindTo(registry));
    }

    @Bean
    @ConditionalOnBean(IpvsSyncChannels.class)
    MeterBinder failover4jIpvsSyncChannelsMetrics(IpvsSyncChannels channels) {
      return registry ->
          channels.channels().values().forEach(c -> new IpvsSyncMetrics(c).bindTo(registry));
    }
  }

  /** The meters of every {@link SaStateSync} bean, tagged {@code sync} with the bean's name. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, SaStateSync.class})
  static class SaSyncMetricsConfiguration {
    @Bean
    @ConditionalOnBean(SaStateSync.class)
    MeterBinder failover4jSaSyncMetrics(Map<String, SaStateSync> syncs) {
      return registry ->
          syncs.forEach(
              (name, sync) -> new SaSyncMetrics(sync, Tags.of("sync", name)).bindTo(registry));
    }
  }
}
