package org.failover4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.micrometer.IpvsSyncMetrics;
import org.failover4j.micrometer.VrrpRouterMetrics;
import org.failover4j.vrrp.VrrpRouter;
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
 * failover4j} health contributor, the info contributor, and the Micrometer meters of the router and
 * of any IPVS sync channel bean.
 */
@AutoConfiguration(after = Failover4jAutoConfiguration.class)
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

  /** The meters of every {@link IpvsSyncChannel} bean the application defines. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, IpvsSyncChannel.class})
  static class IpvsMetrics {
    @Bean
    @ConditionalOnBean(IpvsSyncChannel.class)
    MeterBinder failover4jIpvsSyncMetrics(ObjectProvider<IpvsSyncChannel> channels) {
      return registry ->
          channels.orderedStream().forEach(c -> new IpvsSyncMetrics(c).bindTo(registry));
    }
  }
}
