package org.failover4j.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link MasterOnly} beans of a context, by the role source each follows (a VRRP instance or
 * sync group, or a CARP host), and how a role change switches them. The VRRP router's lifecycle and
 * the CARP hosts each switch the beans of their own sources in the listener that then publishes the
 * {@link RoleChangedEvent}, so an event listener finds the bean already started or stopped.
 */
final class MasterOnlyBeans {

  private static final Logger log = LoggerFactory.getLogger(MasterOnlyBeans.class);

  private final Map<String, List<Lifecycle>> bySource;

  private MasterOnlyBeans(Map<String, List<Lifecycle>> bySource) {
    this.bySource = bySource;
  }

  /**
   * Finds and checks every {@link MasterOnly} bean of {@code beans}.
   *
   * @param beans the context
   * @param own the names of the caller's sources, used when the context has no {@link
   *     RoleFollowers} to tell every source's name
   * @throws IllegalStateException naming the bean whose annotation names no source, or that is no
   *     {@link Lifecycle}, or a {@link SmartLifecycle} that starts with the context
   */
  static MasterOnlyBeans find(ListableBeanFactory beans, Collection<String> own) {
    RoleFollowers followers = beans.getBeanProvider(RoleFollowers.class).getIfAvailable();
    List<String> sources = followers == null ? List.copyOf(own) : followers.sources().names();
    Map<String, List<Lifecycle>> bySource = new LinkedHashMap<>();
    for (String name : beans.getBeanNamesForAnnotation(MasterOnly.class)) {
      String source = beans.findAnnotationOnBean(name, MasterOnly.class).value();
      if (source.isEmpty()) {
        if (sources.size() != 1) {
          throw new IllegalStateException(
              "@MasterOnly on bean '"
                  + name
                  + "' must name an instance, sync group or CARP host; there are "
                  + sources);
        }
        source = sources.get(0);
      }
      if (!sources.contains(source)) {
        throw new IllegalStateException(
            "@MasterOnly(\""
                + source
                + "\") on bean '"
                + name
                + "': no such instance, sync group or CARP host; there are "
                + sources);
      }
      Object bean = beans.getBean(name);
      if (!(bean instanceof Lifecycle lifecycle)) {
        throw new IllegalStateException(
            "@MasterOnly bean '" + name + "' must implement org.springframework.context.Lifecycle");
      }
      if (bean instanceof SmartLifecycle smart && smart.isAutoStartup()) {
        throw new IllegalStateException(
            "@MasterOnly bean '" + name + "' must return false from isAutoStartup()");
      }
      bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(lifecycle);
    }
    return new MasterOnlyBeans(bySource);
  }

  /**
   * Starts the beans of {@code source} when it became master, stops them when it left; a bean that
   * fails is logged and the others still switch.
   *
   * @param source the source's configured name
   * @param to the role it changed to
   */
  void switchFor(String source, Role to) {
    boolean master = to == Role.MASTER;
    for (Lifecycle bean : bySource.getOrDefault(source, List.of())) {
      try {
        if (master && !bean.isRunning()) {
          bean.start();
        } else if (!master && bean.isRunning()) {
          bean.stop();
        }
      } catch (RuntimeException e) {
        log.error("failover4j: a @MasterOnly bean failed to {}", master ? "start" : "stop", e);
      }
    }
  }
}
