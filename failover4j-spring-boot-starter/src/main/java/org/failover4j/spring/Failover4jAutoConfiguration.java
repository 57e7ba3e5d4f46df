package org.failover4j.spring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.vrrp.VrrpRouter;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Builds a {@link VrrpRouter} from {@code failover4j.vrrp.*} (unless the application defines its
 * own) and runs it, or the application's, with the context through {@link VrrpRouterLifecycle}.
 */
@AutoConfiguration
@EnableConfigurationProperties(Failover4jProperties.class)
public class Failover4jAutoConfiguration {

  /** Used by Spring. */
  public Failover4jAutoConfiguration() {}

  /**
   * The simulated LANs of {@code failover4j.platform=simulated}.
   *
   * @return LANs on a running event loop
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "failover4j.platform", havingValue = "simulated")
  public SimulatedLan failover4jSimulatedLan() {
    return new SimulatedLan();
  }

  /**
   * The router the properties describe, on the kernel or the simulated platform; not started yet.
   *
   * @param properties the bound properties
   * @param lan the simulated LANs, when simulated
   * @param beans where tracked health checks are found
   * @return the router
   * @throws IOException when the kernel platform cannot be opened
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnVrrpInstances.class)
  public VrrpRouter failover4jVrrpRouter(
      Failover4jProperties properties, ObjectProvider<SimulatedLan> lan, ListableBeanFactory beans)
      throws IOException {
    Failover4jProperties.Vrrp vrrp = properties.vrrp();
    VrrpRouterProperties.checkGroups(vrrp);
    VrrpRouter.Builder builder = VrrpRouterProperties.builder(vrrp, beans);
    if (properties.platform() == Failover4jProperties.PlatformKind.SIMULATED) {
      Set<String> interfaces = new LinkedHashSet<>();
      vrrp.instances().values().forEach(i -> interfaces.add(i.iface()));
      Failover4jPlatforms.simulated(
          builder, lan.getObject(), interfaces, properties.simulation().addresses());
    } else {
      Failover4jPlatforms.kernel(builder);
    }
    try {
      return builder.build();
    } catch (InvalidConfigurationException e) {
      throw new InvalidConfigurationPropertyValueException(
          "failover4j.vrrp.sync-groups", vrrp.syncGroups(), e.getMessage());
    }
  }

  /**
   * Starts the router with the context and leaves gracefully when it closes.
   *
   * @param router the starter's router or the application's own
   * @param properties the bound properties
   * @param events where role changes are published
   * @param beans where {@link MasterOnly} beans are found
   * @return the lifecycle
   */
  @Bean
  @ConditionalOnBean(VrrpRouter.class)
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "failover4j.vrrp.auto-startup", matchIfMissing = true)
  public VrrpRouterLifecycle failover4jVrrpRouterLifecycle(
      VrrpRouter router,
      Failover4jProperties properties,
      ApplicationEventPublisher events,
      ListableBeanFactory beans) {
    return new VrrpRouterLifecycle(
        router, syncGroups(router, properties), events, beans, properties.vrrp().shutdownTimeout());
  }

  /** The configured sync groups that {@code router} has (an application's router may have none). */
  static List<String> syncGroups(VrrpRouter router, Failover4jProperties properties) {
    List<String> groups = new ArrayList<>();
    for (String name : properties.vrrp().syncGroups().keySet()) {
      try {
        router.syncGroup(name);
        groups.add(name);
      } catch (IllegalArgumentException e) {
        // Not one of this router's groups.
      }
    }
    return groups;
  }

  /** Matches when at least one {@code failover4j.vrrp.instances.*} is configured. */
  static final class OnVrrpInstances extends OnConfiguredEntries {
    OnVrrpInstances() {
      super("failover4j.vrrp.instances");
    }
  }
}
