package org.failover4j.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link org.springframework.context.Lifecycle} bean that runs only while a VRRP instance,
 * a VRRP sync group or a CARP host is master: it is started when the source becomes master and
 * stopped when it leaves that role, as Spring Integration's {@code SmartLifecycleRoleController}
 * does for leadership. Put it on the bean's class or on its {@code @Bean} method.
 *
 * <pre>{@code
 * @Bean
 * @MasterOnly("web")
 * MyScheduler scheduler() { ... }   // implements Lifecycle
 * }</pre>
 *
 * A {@link org.springframework.context.SmartLifecycle} bean must return false from {@code
 * isAutoStartup()}, or the context would start it whatever the role; the starter refuses to start
 * otherwise.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MasterOnly {

  /**
   * The VRRP instance, sync group or CARP host whose mastership the bean follows, by its configured
   * name; empty when the context has only one.
   *
   * @return the source name
   */
  String value() default "";
}
