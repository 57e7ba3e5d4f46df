package org.failover4j.vrrp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;

/** Routers on one simulated LAN under virtual time, each running the real runtime and codec. */
final class SimulatedLan {

  static final String VIP = "192.0.2.100/24";

  final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  final SimulatedNetwork network;
  final List<Node> nodes = new ArrayList<>();

  /** One router: its host on the LAN, its platform, and (while running) its router. */
  final class Node {
    final String name;
    final SimulatedHost host;
    final int priority;
    final UnaryOperator<VrrpInstanceConfig.Builder> tweak;
    final List<String> events = new ArrayList<>();
    SimulatedPlatform platform;
    VrrpRouter router;
    java.util.function.Consumer<SimulatedPlatform> platformSetup = p -> {};

    Node(
        String name,
        SimulatedHost host,
        int priority,
        UnaryOperator<VrrpInstanceConfig.Builder> tweak) {
      this.name = name;
      this.host = host;
      this.priority = priority;
      this.tweak = tweak;
    }

    void start() {
      platform = new SimulatedPlatform(loop).attach("eth0", host);
      platformSetup.accept(platform);
      VrrpInstanceConfig config =
          tweak
              .apply(
                  VrrpInstanceConfig.builder("VI_1")
                      .iface("eth0")
                      .vrid(60)
                      .priority(priority)
                      .virtualAddress(VIP))
              .build();
      router = VrrpRouter.builder().platform(platform).instance(config).build();
      router
          .instance("VI_1")
          .addListener(
              new RoleListener() {
                @Override
                public void roleChanged(RoleChangeEvent e) {
                  events.add(loop.nanoTime() / 1_000_000 + "ms " + e.to() + " " + e.reason());
                }
              },
              Runnable::run);
      try {
        router.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The process dies: nothing more is sent, the addresses stay, the host keeps its link. */
    void crash() {
      router.closeAbruptly();
      router = null;
    }

    void stop() {
      router.close();
      router = null;
    }

    boolean running() {
      return router != null;
    }

    Role role() {
      return router == null ? Role.STOPPED : router.instance("VI_1").role();
    }

    VrrpInstance instance() {
      return router.instance("VI_1");
    }

    boolean holdsVip() {
      return platform.addresses("eth0").contains(VIP);
    }
  }

  SimulatedLan(long seed) {
    network = new SimulatedNetwork(loop, seed);
  }

  Node add(int priority) {
    return add(priority, b -> b);
  }

  Node add(int priority, UnaryOperator<VrrpInstanceConfig.Builder> tweak) {
    int n = nodes.size() + 1;
    Node node =
        new Node("r" + n, network.addHost("r" + n, ip("192.0.2." + (10 + n))), priority, tweak);
    nodes.add(node);
    return node;
  }

  List<Node> masters() {
    return nodes.stream().filter(n -> n.role() == Role.MASTER).toList();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
