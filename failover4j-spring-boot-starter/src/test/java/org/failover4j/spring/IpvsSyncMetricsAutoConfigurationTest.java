package org.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.NetworkInterface;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application's IPVS sync channel bean gets its meters in the application's registry, with no
 * VRRP router in the context.
 */
@Interop
class IpvsSyncMetricsAutoConfigurationTest {

  @Test
  void anIpvsSyncChannelBeanIsMetered(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("lb", lan);
    NetworkInterface nif = host.call(() -> NetworkInterface.getByName(host.iface(lan)));
    IpvsSyncChannel channel =
        IpvsSyncChannel.builder()
            .config(SyncConfig.builder().networkInterface(nif).syncId(3).build())
            .build();
    host.call(
        () -> {
          channel.start();
          return null;
        });
    try {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  Failover4jAutoConfiguration.class,
                  Failover4jActuatorAutoConfiguration.class))
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withBean(IpvsSyncChannel.class, () -> channel, b -> b.setDestroyMethodName(""))
          .run(
              context -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                channel.startMaster();
                SimulatedFailoverTest.await(() -> channel.mode() == IpvsSyncChannel.Mode.MASTER);
                assertThat(
                        registry
                            .get("failover4j.ipvs.sync.mode")
                            .tag("sync.id", "3")
                            .tag("mode", "master")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
                assertThat(registry.find("failover4j.vrrp.role").gauges()).isEmpty();
              });
    } finally {
      channel.close();
    }
  }
}
