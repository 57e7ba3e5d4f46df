package org.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.vrrp.HealthCheck;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's conditions and its checks of the properties. */
class Failover4jAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Failover4jAutoConfiguration.class, Failover4jActuatorAutoConfiguration.class))
          .withPropertyValues(
              "failover4j.platform=simulated",
              "failover4j.vrrp.instances.web.interface=eth0",
              "failover4j.vrrp.instances.web.vrid=51",
              "failover4j.vrrp.instances.web.virtual-addresses=192.0.2.100/24");

  @Test
  void everyBuilderOptionIsBoundFromProperties() {
    runner
        .withBean("appCheck", HealthCheck.class, () -> () -> true)
        .withPropertyValues(
            "failover4j.vrrp.instances.web.priority=120",
            "failover4j.vrrp.instances.web.version=2",
            "failover4j.vrrp.instances.web.advert-interval=2s",
            "failover4j.vrrp.instances.web.virtual-addresses=192.0.2.100/24,192.0.2.101/24",
            "failover4j.vrrp.instances.web.auth.type=ipsec-ah",
            "failover4j.vrrp.instances.web.auth.secret=s3cret",
            "failover4j.vrrp.instances.web.preempt=false",
            "failover4j.vrrp.instances.web.preempt-delay=5s",
            "failover4j.vrrp.instances.web.unicast-source=192.0.2.1",
            "failover4j.vrrp.instances.web.unicast-peers=192.0.2.2,192.0.2.3",
            "failover4j.vrrp.instances.web.virtual-mac=true",
            "failover4j.vrrp.instances.web.track-interfaces[0].name=eth1",
            "failover4j.vrrp.instances.web.track-interfaces[0].weight=-20",
            "failover4j.vrrp.instances.web.track-checks[0].bean=appCheck",
            "failover4j.vrrp.instances.web.track-checks[0].weight=0",
            "failover4j.vrrp.instances.web.track-checks[0].interval=500ms",
            "failover4j.vrrp.instances.web.announcements.repeat=3",
            "failover4j.vrrp.instances.[VI_2].interface=eth1",
            "failover4j.vrrp.instances.[VI_2].vrid=52",
            "failover4j.vrrp.instances.[VI_2].virtual-addresses=198.51.100.100/24",
            "failover4j.vrrp.sync-groups.G1=web,VI_2")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              VrrpRouter router = context.getBean(VrrpRouter.class);
              VrrpInstanceConfig c = router.instance("web").config();
              assertThat(c.priority()).isEqualTo(120);
              assertThat(c.version()).isEqualTo(org.failover4j.vrrp.VrrpVersion.V2);
              assertThat(c.advertInterval()).isEqualTo(Duration.ofSeconds(2));
              assertThat(c.virtualAddresses()).hasSize(2);
              assertThat(c.wire().authType()).isEqualTo(AuthType.IPSEC_AH);
              assertThat(c.preempt()).isFalse();
              assertThat(c.preemptDelay()).isEqualTo(Duration.ofSeconds(5));
              assertThat(c.unicastSource().getHostAddress()).isEqualTo("192.0.2.1");
              assertThat(c.unicastPeers()).hasSize(2);
              assertThat(c.virtualMac()).isTrue();
              assertThat(c.trackedInterfaces().get(0).weight()).isEqualTo(-20);
              assertThat(c.trackedChecks().get(0).name()).isEqualTo("appCheck");
              assertThat(c.trackedChecks().get(0).interval()).isEqualTo(Duration.ofMillis(500));
              assertThat(c.announcements().repeat()).isEqualTo(3);
              assertThat(router.instance("VI_2").config().vrid()).isEqualTo(52);
              assertThat(router.syncGroup("G1").members()).containsExactly("web", "VI_2");
              assertThat(context).hasSingleBean(VrrpRouterLifecycle.class);
              assertThat(context).hasSingleBean(Failover4jHealthIndicator.class);
              assertThat(context).hasSingleBean(Failover4jInfoContributor.class);
            });
  }

  @Test
  void anInvalidValueFailsStartUpNamingThePropertyAndTheBuildersReason() {
    runner
        .withPropertyValues("failover4j.vrrp.instances.web.priority=300")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                  .hasMessageContaining("failover4j.vrrp.instances.web.priority")
                  .hasMessageContaining("must be in 1..255, was 300");
            });
    runner
        .withPropertyValues("failover4j.vrrp.instances.web.advert-interval=1234ms")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.vrrp.instances.web.advert-interval")
                    .hasMessageContaining("10 ms steps"));
    runner
        .withPropertyValues("failover4j.vrrp.instances.web.unicast-peers=peer.example")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.vrrp.instances.web.unicast-peers")
                    .hasMessageContaining("not an IP literal"));
    runner
        .withPropertyValues("failover4j.vrrp.sync-groups.G1=web,nobody")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.vrrp.sync-groups.G1")
                    .hasMessageContaining("no instance named nobody"));
  }

  @Test
  void aRejectedSecretIsNeverShownNorLogged() {
    String secret = "far-too-long-secret";
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      runner
          .withPropertyValues(
              "failover4j.vrrp.instances.web.version=2",
              "failover4j.vrrp.instances.web.auth.type=simple-text",
              "failover4j.vrrp.instances.web.auth.secret=" + secret)
          .run(
              context -> {
                Throwable failure = context.getStartupFailure();
                assertThat(failure)
                    .rootCause()
                    .hasMessageContaining("failover4j.vrrp.instances.web.auth.secret")
                    .hasMessageContaining("must be 1..8 bytes");
                for (Throwable t = failure; t != null; t = t.getCause()) {
                  assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                }
                assertThat(
                        new Failover4jProperties.Auth(
                                AuthType.SIMPLE_TEXT,
                                secret,
                                new Failover4jProperties.Hmac(
                                    java.util.Map.of(1, secret),
                                    1,
                                    HmacMode.ENFORCE,
                                    HmacAntiReplay.TIME,
                                    null))
                            .toString())
                    .doesNotContain(secret);
              });
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
  }

  @Test
  void authHmacIsBoundFromPropertiesAndItsKeysNeverShow() {
    String key = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    String second = "the second auth_hmac key, 32+ bytes";
    runner
        .withPropertyValues(
            "failover4j.vrrp.instances.web.auth.hmac.keys.1=" + key,
            "failover4j.vrrp.instances.web.auth.hmac.keys.2=" + second,
            "failover4j.vrrp.instances.web.auth.hmac.active-key=2",
            "failover4j.vrrp.instances.web.auth.hmac.mode=receive-only",
            "failover4j.vrrp.instances.web.auth.hmac.anti-replay=monotonic")
        .run(
            context -> {
              VrrpInstanceConfig c = context.getBean(VrrpRouter.class).instance("web").config();
              HmacAuthentication hmac = c.wire().hmacAuthentication();
              assertThat(hmac.activeKey()).isEqualTo(2);
              assertThat(hmac.hasKey(1)).isTrue();
              assertThat(hmac.mode()).isEqualTo(HmacMode.RECEIVE_ONLY);
              assertThat(hmac.antiReplay()).isEqualTo(HmacAntiReplay.MONOTONIC);
              assertThat(c.toString()).doesNotContain("0001020304").doesNotContain(second);
            });
    runner
        .withPropertyValues(
            "failover4j.vrrp.instances.web.auth.hmac.keys.1=" + key,
            "failover4j.vrrp.instances.web.auth.hmac.keys.2=too-short-secret")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(failure)
                  .rootCause()
                  .hasMessageContaining("failover4j.vrrp.instances.web.auth.hmac.keys")
                  .hasMessageContaining("32..64 bytes");
              for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("too-short-secret");
              }
            });
    runner
        .withPropertyValues(
            "failover4j.vrrp.instances.web.auth.hmac.keys.1=" + key,
            "failover4j.vrrp.instances.web.auth.hmac.keys.2=" + second)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.vrrp.instances.web.auth.hmac.active-key"));
  }

  @Test
  void anApplicationsOwnRouterWinsAndIsStillRunWithTheContext() {
    runner
        .withUserConfiguration(OwnRouter.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(VrrpRouter.class);
              VrrpRouter router = context.getBean(VrrpRouter.class);
              assertThat(router.instance("mine").config().vrid()).isEqualTo(77);
              assertThat(context).hasSingleBean(VrrpRouterLifecycle.class);
              assertThat(router.instance("mine").awaitRole(Role.MASTER, Duration.ofSeconds(10)))
                  .isTrue();
            });
  }

  @Test
  void withoutInstancesThereIsNoRouter() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                Failover4jAutoConfiguration.class, Failover4jActuatorAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(VrrpRouter.class);
              assertThat(context).doesNotHaveBean(VrrpRouterLifecycle.class);
              assertThat(context).doesNotHaveBean(Failover4jHealthIndicator.class);
            });
  }

  /** An application that builds its router in code, on the starter's simulated LAN. */
  @Configuration(proxyBeanMethods = false)
  static class OwnRouter {
    @Bean
    VrrpRouter myRouter(SimulatedLan lan) {
      return lan.peer("eth0", "192.0.2.9")
          .instance(
              VrrpInstanceConfig.builder("mine")
                  .iface("eth0")
                  .vrid(77)
                  .advertInterval(Duration.ofMillis(100))
                  .virtualAddress("192.0.2.77/24")
                  .build())
          .build();
    }
  }
}
