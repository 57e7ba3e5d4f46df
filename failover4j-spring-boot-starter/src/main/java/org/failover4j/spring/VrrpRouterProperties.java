package org.failover4j.spring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.vrrp.HealthCheck;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@code failover4j.vrrp.*} into a {@link VrrpRouter.Builder} through the library's own
 * builders, so every check is theirs; a rejected value fails start-up naming the property and the
 * builder's reason. Secrets never appear in a message.
 */
final class VrrpRouterProperties {

  private static final String PREFIX = "failover4j.vrrp.";
  private static final String HIDDEN = "******";
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private VrrpRouterProperties() {}

  /** A router builder with every instance and sync group; the platform is the caller's to add. */
  static VrrpRouter.Builder builder(Failover4jProperties.Vrrp vrrp, BeanFactory beans) {
    VrrpRouter.Builder router = VrrpRouter.builder();
    vrrp.instances().forEach((name, instance) -> router.instance(instance(name, instance, beans)));
    vrrp.syncGroups()
        .forEach((name, members) -> router.syncGroup(name, members.toArray(String[]::new)));
    return router;
  }

  /** Validates the router as a whole (duplicate names, sync groups) without a platform. */
  static void checkGroups(Failover4jProperties.Vrrp vrrp) {
    for (Map.Entry<String, List<String>> group : vrrp.syncGroups().entrySet()) {
      String property = PREFIX + "sync-groups." + group.getKey();
      if (group.getValue().size() < 2) {
        throw new InvalidConfigurationPropertyValueException(
            property, group.getValue(), "a sync group needs at least two members");
      }
      for (String member : group.getValue()) {
        if (!vrrp.instances().containsKey(member)) {
          throw new InvalidConfigurationPropertyValueException(
              property, group.getValue(), "no instance named " + member);
        }
      }
    }
  }

  static VrrpInstanceConfig instance(
      String name, Failover4jProperties.Instance p, BeanFactory beans) {
    String at = PREFIX + "instances." + name + ".";
    try {
      VrrpInstanceConfig.Builder b = VrrpInstanceConfig.builder(name).iface(p.iface());
      b.vrid(p.vrid() == null ? 0 : p.vrid());
      if (p.priority() != null) {
        b.priority(p.priority());
      }
      if (p.version() != null) {
        b.version(p.version());
      }
      if (p.advertInterval() != null) {
        b.advertInterval(p.advertInterval());
      }
      p.virtualAddresses().forEach(b::virtualAddress);
      auth(b, p.auth());
      if (p.checksumMode() != null) {
        b.checksumMode(p.checksumMode());
      }
      if (!p.preempt()) {
        b.noPreempt();
      }
      if (p.preemptDelay() != null) {
        b.preemptDelay(p.preemptDelay());
      }
      if (p.unicastSource() != null) {
        b.unicastSource(literal("unicastSource", p.unicastSource()));
      }
      for (String peer : p.unicastPeers()) {
        b.unicastPeer(literal("unicastPeers", peer));
      }
      b.virtualMac(p.virtualMac());
      p.trackInterfaces().forEach(t -> b.trackInterface(t.name(), t.weight()));
      for (Failover4jProperties.TrackCheck t : p.trackChecks()) {
        if (t.bean() == null || !beans.containsBean(t.bean())) {
          throw new InvalidConfigurationException(
              "trackCheck", "bean must name a HealthCheck bean, was " + t.bean());
        }
        HealthCheck check = beans.getBean(t.bean(), HealthCheck.class);
        b.trackCheck(t.name() == null ? t.bean() : t.name(), t.weight(), check, t.interval());
      }
      if (p.announcements() != null) {
        b.announcements(announcements(p.announcements()));
      }
      return b.build();
    } catch (InvalidConfigurationException e) {
      String property = at + property(e.field());
      Object value =
          property.endsWith(".auth.secret") || property.endsWith(".auth.hmac.keys")
              ? HIDDEN
              : value(p, e.field());
      throw new InvalidConfigurationPropertyValueException(property, value, e.problem());
    }
  }

  private static void auth(VrrpInstanceConfig.Builder b, Failover4jProperties.Auth auth) {
    Failover4jProperties.Hmac hmac = auth.hmac();
    if (!hmac.keys().isEmpty()) {
      HmacAuthentication.Builder h =
          HmacAuthentication.builder().mode(hmac.mode()).antiReplay(hmac.antiReplay());
      new java.util.TreeMap<>(hmac.keys()).forEach(h::key);
      if (hmac.activeKey() != null) {
        h.activeKey(hmac.activeKey());
      }
      if (hmac.timeWindow() != null) {
        h.timeWindow(hmac.timeWindow());
      }
      b.authHmac(h.build());
    }
    String secret = auth.secret() == null ? "" : auth.secret();
    if (auth.type() == AuthType.SIMPLE_TEXT) {
      b.authPassword(secret);
    } else if (auth.type() == AuthType.IPSEC_AH) {
      b.authAh(secret);
    } else if (!secret.isEmpty()) {
      throw new InvalidConfigurationException("authPassword", "is set but auth.type is none");
    }
  }

  private static GratuitousAnnouncements announcements(Failover4jProperties.Announcements a) {
    GratuitousAnnouncements d = GratuitousAnnouncements.KEEPALIVED_DEFAULTS;
    return new GratuitousAnnouncements(
        a.delay() == null ? d.delay() : a.delay(),
        a.repeat() == null ? d.repeat() : a.repeat(),
        a.refresh() == null ? d.refresh() : a.refresh(),
        a.refreshRepeat() == null ? d.refreshRepeat() : a.refreshRepeat());
  }

  /** An IP literal, never a host name: start-up must not wait on DNS. */
  private static InetAddress literal(String field, String text) {
    if (!IP_LITERAL.matcher(text).matches()) {
      throw new InvalidConfigurationException(field, "not an IP literal: " + text);
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new InvalidConfigurationException(field, "not an IP literal: " + text);
    }
  }

  /** The property, under the instance, that a builder's field name stands for. */
  static String property(String field) {
    return switch (field) {
      case "iface" -> "interface";
      case "interval" -> "advert-interval";
      case "virtualAddress", "virtualAddresses", "prefixLength" -> "virtual-addresses";
      case "authPassword" -> "auth.secret";
      case "authType" -> "auth.type";
      case "hmacKey", "hmacKeyId" -> "auth.hmac.keys";
      case "hmacActiveKey" -> "auth.hmac.active-key";
      case "hmacMode" -> "auth.hmac.mode";
      case "hmacAntiReplay" -> "auth.hmac.anti-replay";
      case "hmacTimeWindow" -> "auth.hmac.time-window";
      case "unicastPeers" -> "unicast-peers";
      case "unicastSource" -> "unicast-source";
      case "preemptDelay" -> "preempt-delay";
      case "acceptedChecksumModes", "checksumMode" -> "checksum-mode";
      case "garp", "garpRepeat", "garpRefreshRepeat" -> "announcements";
      default -> {
        if (field.startsWith("trackInterface")) {
          yield "track-interfaces";
        } else if (field.startsWith("trackCheck")) {
          yield "track-checks";
        }
        yield field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
      }
    };
  }

  private static Object value(Failover4jProperties.Instance p, String field) {
    return switch (property(field)) {
      case "interface" -> p.iface();
      case "vrid" -> p.vrid();
      case "priority" -> p.priority();
      case "version" -> p.version();
      case "advert-interval" -> p.advertInterval();
      case "virtual-addresses" -> p.virtualAddresses();
      case "auth.type" -> p.auth().type();
      case "auth.hmac.active-key" -> p.auth().hmac().activeKey();
      case "auth.hmac.mode" -> p.auth().hmac().mode();
      case "auth.hmac.anti-replay" -> p.auth().hmac().antiReplay();
      case "auth.hmac.time-window" -> p.auth().hmac().timeWindow();
      case "unicast-peers" -> p.unicastPeers();
      case "unicast-source" -> p.unicastSource();
      case "preempt-delay" -> p.preemptDelay();
      case "checksum-mode" -> p.checksumMode();
      case "track-interfaces" -> p.trackInterfaces();
      case "track-checks" -> p.trackChecks();
      case "announcements" -> p.announcements();
      default -> null;
    };
  }
}
