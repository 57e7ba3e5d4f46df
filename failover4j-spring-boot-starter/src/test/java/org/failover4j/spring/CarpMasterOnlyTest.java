package org.failover4j.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.spring.SimulatedFailoverTest.MasterService;
import org.failover4j.spring.SimulatedFailoverTest.Recorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * A {@link MasterOnly} bean follows a CARP host as it follows a VRRP instance: an application
 * configured only by properties runs one CARP host on the simulated platform; its master-only bean
 * runs while the host is master (already when the event arrives) and stops when a preempting peer
 * takes over.
 */
@SpringBootTest(
    classes = CarpMasterOnlyTest.App.class,
    properties = {
      "failover4j.platform=simulated",
      "failover4j.carp.hosts.db.interface=eth0",
      "failover4j.carp.hosts.db.vhid=12",
      "failover4j.carp.hosts.db.passphrase=s3cr3t",
      "failover4j.carp.hosts.db.advskew=50",
      "failover4j.carp.hosts.db.virtual-addresses=192.0.2.60/24"
    })
class CarpMasterOnlyTest {

  /**
   * The application: a master-only service (named by its host) and an event recorder, the same as
   * {@link SimulatedFailoverTest}'s.
   */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    @MasterOnly("db")
    MasterService masterService() {
      return new MasterService();
    }

    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  @Autowired CarpHosts carp;
  @Autowired SimulatedLan lan;
  @Autowired MasterService service;
  @Autowired Recorder recorder;

  @Test
  void theMasterOnlyBeanRunsWhileTheCarpHostIsMaster() throws Exception {
    CarpHost db = carp.host("db");
    assertTrue(db.awaitRole(Role.MASTER, Duration.ofSeconds(10)), "alone, it becomes master");
    SimulatedFailoverTest.await(
        () -> recorder.events.stream().anyMatch(e -> e.startsWith("db MASTER")));
    assertTrue(service.isRunning());
    assertTrue(recorder.serviceRunningWhenMaster, "started before the event was published");

    CarpHost preferred =
        CarpHost.builder()
            .platform(lan.peerPlatform("eth0", "192.0.2.2"))
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(12)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.60/24")
                    .preempt(true)
                    .build())
            .build();
    try {
      preferred.start();
      assertTrue(db.awaitRole(Role.BACKUP, Duration.ofSeconds(10)), "the preferred peer preempts");
      SimulatedFailoverTest.await(() -> !service.isRunning());
      assertEquals(List.of(true, false), service.switches);
    } finally {
      preferred.close();
    }
    assertTrue(db.awaitRole(Role.MASTER, Duration.ofSeconds(10)), "master again");
    SimulatedFailoverTest.await(service::isRunning);
    assertFalse(service.switches.isEmpty());
  }
}
