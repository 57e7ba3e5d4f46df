package org.failover4j.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeListener;
import org.failover4j.api.RoleObservable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Everything that follows a role source by name: the IPVS sync channels of {@code
 * failover4j.ipvs.sync.*} and the application's {@link FollowRole} beans. Once every singleton
 * exists, and before any election starts, it adds each {@code FollowRole} bean as a listener of its
 * source; the {@code failover4jSync} health contributor reports them all.
 */
public class RoleFollowers implements SmartInitializingSingleton {

  /**
   * One follower.
   *
   * @param name the channel's or bean's name
   * @param follows the source's configured name
   * @param source the source
   * @param role the follower's own idea of the role it should act on: {@code MASTER} while it
   *     sends, {@code BACKUP} while it receives
   */
  public record Follower(String name, String follows, RoleObservable source, Supplier<Role> role) {}

  private final RoleSources sources;
  private final ListableBeanFactory beans;
  private final List<Follower> followers = new CopyOnWriteArrayList<>();

  RoleFollowers(RoleSources sources, ListableBeanFactory beans) {
    this.sources = sources;
    this.beans = beans;
  }

  /**
   * Makes {@code listener} follow the source named {@code follows}, and reports it as {@code name}.
   *
   * @param name the follower's name in health
   * @param follows the source's configured name
   * @param listener what follows
   * @param role the role the follower acts on
   * @return the source
   * @throws IllegalStateException when no source has that name
   */
  RoleObservable follow(
      String name, String follows, RoleChangeListener listener, Supplier<Role> role) {
    RoleObservable source = sources.find(follows, name);
    source.addListener(listener);
    followers.add(new Follower(name, follows, source, role));
    return source;
  }

  /** {@return every role source of the context, by name} */
  RoleSources sources() {
    return sources;
  }

  /** Adds each {@link FollowRole} bean to its source. */
  @Override
  public void afterSingletonsInstantiated() {
    for (String name : beans.getBeanNamesForAnnotation(FollowRole.class)) {
      FollowRole annotation = beans.findAnnotationOnBean(name, FollowRole.class);
      Object bean = beans.getBean(name);
      if (!(bean instanceof RoleChangeListener listener)) {
        throw new IllegalStateException(
            "@FollowRole bean '" + name + "' must implement org.failover4j.api.RoleListener");
      }
      follow("bean " + name, annotation.value(), listener, roleOf(bean));
    }
  }

  /**
   * How a follower bean tells the role it acts on, for health (null when it cannot). The optional
   * modules' classes are named only once the bean is known to be of that type.
   */
  private static Supplier<Role> roleOf(Object bean) {
    return switch (bean.getClass().getName()) {
      case "org.failover4j.ipvs.IpvsSyncChannel" -> () -> IpvsSyncChannels.role(bean);
      case "org.failover4j.xfrm.SaStateSync" ->
          () -> ((org.failover4j.xfrm.SaStateSync) bean).role();
      default -> () -> null;
    };
  }

  /**
   * Every follower, in the order they were added.
   *
   * @return the followers
   */
  public List<Follower> followers() {
    return List.copyOf(followers);
  }
}
