package org.failover4j.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@code RoleListener} bean, such as an XFRM {@code SaStateSync} or an {@code
 * IpvsSyncChannel} the application builds itself, follow the role of the VRRP instance, sync group
 * or CARP host it names: the starter adds it as a listener before the election starts.
 *
 * <pre>{@code
 * @Bean
 * @FollowRole("web")
 * SaStateSync saSync(...) { return SaStateSync.builder()...build(); }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FollowRole {

  /**
   * The VRRP instance, sync group or CARP host to follow.
   *
   * @return its configured name
   */
  String value();
}
