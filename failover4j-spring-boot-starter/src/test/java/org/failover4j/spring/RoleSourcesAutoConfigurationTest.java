package org.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.replay.CounterMode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** CARP hosts and sync channels from properties: every option bound, every mistake named. */
class RoleSourcesAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Failover4jAutoConfiguration.class,
                  Failover4jRoleSourcesAutoConfiguration.class,
                  Failover4jActuatorAutoConfiguration.class))
          .withPropertyValues(
              "failover4j.platform=simulated",
              "failover4j.carp.hosts.db.interface=eth0",
              "failover4j.carp.hosts.db.vhid=10",
              "failover4j.carp.hosts.db.passphrase=s3cr3t-passphrase",
              "failover4j.carp.hosts.db.virtual-addresses=192.0.2.50/24");

  @Test
  void everyCarpOptionIsBoundFromProperties() {
    runner
        .withPropertyValues(
            "failover4j.carp.hosts.db.advbase=2",
            "failover4j.carp.hosts.db.advskew=40",
            "failover4j.carp.hosts.db.preempt=true",
            "failover4j.carp.hosts.db.counter-mode=ucarp-compatible",
            "failover4j.carp.hosts.db.virtual-addresses=192.0.2.50/24,192.0.2.51/24",
            "failover4j.carp.hosts.db.unicast-peers=192.0.2.2",
            "failover4j.carp.hosts.db.virtual-mac=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              CarpHostConfig c = context.getBean(CarpHosts.class).host("db").config();
              assertThat(c.iface()).isEqualTo("eth0");
              assertThat(c.vhid()).isEqualTo(10);
              assertThat(c.advbase()).isEqualTo(2);
              assertThat(c.advskew()).isEqualTo(40);
              assertThat(c.preempt()).isTrue();
              assertThat(c.counterMode()).isEqualTo(CounterMode.UCARP_COMPATIBLE);
              assertThat(c.addresses()).hasSize(2);
              assertThat(c.unicastPeers()).hasSize(1);
              assertThat(c.virtualMac()).isTrue();
              assertThat(context).hasSingleBean(CarpHealthIndicator.class);
              assertThat(context).hasSingleBean(SyncHealthIndicator.class);
              assertThat(context).doesNotHaveBean(IpvsSyncChannels.class);
            });
  }

  @Test
  void anInvalidValueFailsStartUpNamingThePropertyNeverThePassphrase() {
    runner
        .withPropertyValues("failover4j.carp.hosts.db.vhid=300")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("failover4j.carp.hosts.db.vhid")
                    .hasMessageContaining("300"));
    runner
        .withPropertyValues("failover4j.carp.hosts.db.passphrase=")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.carp.hosts.db.passphrase")
                    .hasMessageContaining("must not be empty"));
    runner
        .withPropertyValues(
            "failover4j.carp.hosts.db.counter-mode=ucarp-compatible",
            "failover4j.carp.hosts.db.passphrase=" + "x".repeat(300))
        .run(
            context -> {
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("failover4j.carp.hosts.db.passphrase");
              assertThat(context.getStartupFailure()).rootCause().hasMessageNotContaining("xxxx");
            });
    runner
        .withPropertyValues("failover4j.carp.hosts.db.virtual-addresses=")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.carp.hosts.db.virtual-addresses"));
    runner
        .withPropertyValues("failover4j.ipvs.sync.lb.interface=lo")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.ipvs.sync.lb.follow"));
    runner
        .withPropertyValues(
            "failover4j.ipvs.sync.lb.interface=lo", "failover4j.ipvs.sync.lb.follow=nobody")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("follows 'nobody'")
                    .hasMessageContaining("[db]"));
    runner
        .withPropertyValues(
            "failover4j.ipvs.sync.lb.interface=no-such-if0", "failover4j.ipvs.sync.lb.follow=db")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("failover4j.ipvs.sync.lb.interface")
                    .hasMessageContaining("no such interface"));
  }

  @Test
  void theHostsCloseWithTheContext() {
    runner.run(
        context -> {
          CarpHosts hosts = context.getBean(CarpHosts.class);
          assertThat(hosts.isRunning()).isTrue();
          assertThat(
                  hosts
                      .host("db")
                      .awaitRole(org.failover4j.api.Role.MASTER, Duration.ofSeconds(10)))
              .isTrue();
          context.close();
          assertThat(hosts.host("db").role()).isEqualTo(org.failover4j.api.Role.STOPPED);
        });
  }
}
