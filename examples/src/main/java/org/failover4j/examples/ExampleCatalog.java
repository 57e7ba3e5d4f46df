package org.failover4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Every example, by name, with one line each: what {@code ./failover4j example} lists and {@code
 * ./failover4j example NAME} runs.
 */
public final class ExampleCatalog {

  /**
   * One example.
   *
   * @param name the word that runs it
   * @param summary one line that says what it shows
   * @param usage its arguments
   * @param main its entry point
   */
  public record Entry(String name, String summary, String usage, ExampleMain main) {}

  private static final List<Entry> ALL =
      List.of(
          new Entry(
              "leader",
              "the smallest VRRP leader election: becameMaster / becameBackup callbacks",
              "[--real IFACE [PRIORITY]]",
              LeaderElection::run),
          new Entry(
              "sync-group",
              "one VRRP instance per interface in one sync group: one link failing moves them all",
              "[--real IFACE1,IFACE2 [PRIORITY]]",
              SyncGroupRouter::run),
          new Entry(
              "health-check",
              "keepalived-style tracking: a failing check means FAULT, a downed uplink lowers priority",
              "[--real IFACE,UPLINK [PRIORITY]]",
              HealthCheckedRouter::run),
          new Entry(
              "load-balancer",
              "VRRP decides the role, IPVS connection sync follows it; the backup's table fills",
              "[--real IFACE [PRIORITY]]",
              LoadBalancerPair::run),
          new Entry(
              "carp-health",
              "a CARP pair whose application health check raises and lowers demotion",
              "[--real IFACE [ADVSKEW]]",
              CarpHealthDemotion::run),
          new Entry(
              "vrrp-or-carp",
              "the same service elected by VRRP or by CARP, switched in one line of set-up code",
              "[--real IFACE vrrp|carp [PREFERENCE]]",
              VrrpOrCarp::run),
          new Entry(
              "ipsec-gateway",
              "VRRP decides the role, XFRM SA sync installs the ESP sequence numbers on takeover",
              "[--real IFACE LOCAL PEER SA_DST SPI [PRIORITY]]",
              IpsecGatewayPair::run),
          new Entry(
              "rejected-adverts",
              "read a capture with the decode API and print why each advert would be rejected",
              "[CAPTURE.pcap [VRID [PASSWORD]]]",
              RejectedAdverts::run),
          new Entry(
              "spring-boot",
              "a Spring Boot service that serves only while master (module examples-spring-boot)",
              "[--real IFACE]",
              ExampleCatalog::springBoot));

  private ExampleCatalog() {}

  /** The Spring Boot example lives in its own module, so that this jar carries no Spring. */
  private static void springBoot(PrintStream out, String... args) {
    out.println(
        """
        The Spring Boot example is examples-spring-boot/src/main/java/org/failover4j/examples/\
        spring/ServeWhileMaster.java, in a module of its own so that Spring Boot stays out of this
        tool's jar. From the project's root directory:

          ./mvnw -q -pl examples-spring-boot -am package -DskipTests
          java -cp "examples-spring-boot/target/classes:$(cat examples-spring-boot/target/classpath.txt)" \\
              org.failover4j.examples.spring.ServeWhileMaster %s
        """
            .formatted(String.join(" ", args)));
  }

  /**
   * Every example, in the order to read them.
   *
   * @return the entries
   */
  public static List<Entry> all() {
    return ALL;
  }

  /**
   * The example called {@code name}.
   *
   * @param name an example's name
   * @return it, or empty when there is none of that name
   */
  public static Optional<Entry> find(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
