package org.failover4j.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.failover4j.api.EventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpRouter;

/**
 * The one place the starter touches platform classes: it gives a router builder, and the CARP
 * hosts, the kernel platform or, with {@code failover4j.platform=simulated}, a {@link
 * SimulatedLan}'s.
 */
public final class Failover4jPlatforms {

  private Failover4jPlatforms() {}

  /**
   * Adds the kernel platform to {@code builder}; the router owns it and closes it.
   *
   * @param builder the router's builder
   * @return the builder
   * @throws IOException when netlink or the event loop cannot be opened
   */
  static VrrpRouter.Builder kernel(VrrpRouter.Builder builder) throws IOException {
    return builder.ownedPlatform(NetlinkPlatform.open());
  }

  /**
   * Adds a platform on {@code lan} to {@code builder} with one host per interface named in the
   * configuration.
   *
   * @param builder the router's builder
   * @param lan the simulated LANs
   * @param interfaces the interfaces the router's instances use
   * @param addresses this router's address on each interface (default {@code 192.0.2.1})
   * @return the builder
   */
  static VrrpRouter.Builder simulated(
      VrrpRouter.Builder builder,
      SimulatedLan lan,
      Set<String> interfaces,
      Map<String, String> addresses) {
    SimulatedPlatform platform = new SimulatedPlatform(lan.loop());
    for (String iface : interfaces) {
      String address = addresses.getOrDefault(iface, "192.0.2.1");
      platform.attach(iface, lan.addHost(iface, "self-" + iface, address));
    }
    lan.selves.add(platform);
    return builder.ownedPlatform(platform);
  }

  /**
   * The platform of the CARP hosts, which {@link CarpHosts} owns: the kernel's, or one on {@code
   * lan} with a host on each interface the hosts use.
   *
   * @param lan the simulated LANs, or null on the kernel
   * @param interfaces the interfaces the CARP hosts use
   * @param addresses this node's address on each interface (default {@code 192.0.2.1})
   * @return the platform
   * @throws IOException when netlink or the event loop cannot be opened
   */
  static Platform carp(SimulatedLan lan, Set<String> interfaces, Map<String, String> addresses)
      throws IOException {
    if (lan == null) {
      return NetlinkPlatform.open();
    }
    SimulatedPlatform platform = new SimulatedPlatform(lan.loop());
    for (String iface : interfaces) {
      String address = addresses.getOrDefault(iface, "192.0.2.1");
      platform.attach(iface, lan.addHost(iface, "carp-" + iface, address));
    }
    lan.selves.add(platform);
    return platform;
  }

  /**
   * Simulated LANs in this JVM, one per interface name, on a real-time event loop: a Spring
   * application runs its router on them without root, and a test adds peers beside it.
   */
  public static final class SimulatedLan implements AutoCloseable {

    private final PollEventLoop loop;
    private final Map<String, SimulatedNetwork> networks = new LinkedHashMap<>();

    /** This application's platforms: its VRRP router's and its CARP hosts'. */
    private final List<SimulatedPlatform> selves = new CopyOnWriteArrayList<>();

    private final AtomicInteger peers = new AtomicInteger();

    /** Starts the LANs' event loop. */
    public SimulatedLan() {
      try {
        this.loop = PollEventLoop.start("failover4j-simulated-lan");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The loop every router on these LANs must run on.
     *
     * @return the event loop
     */
    public EventLoop loop() {
      return loop;
    }

    /**
     * The LAN behind interface {@code iface}, created on first use.
     *
     * @param iface the interface name, the same for every router on that LAN
     * @return the network
     */
    public synchronized SimulatedNetwork network(String iface) {
      return networks.computeIfAbsent(iface, n -> new SimulatedNetwork(loop, networks.size() + 1));
    }

    /**
     * Starts a builder for a peer router at {@code address} on the LAN of {@code iface}, with the
     * same interface name; the router built from it owns its platform.
     *
     * @param iface the interface (and LAN)
     * @param address the peer's address on it
     * @return a router builder with its platform set
     */
    public VrrpRouter.Builder peer(String iface, String address) {
      return VrrpRouter.builder().ownedPlatform(peerPlatform(iface, address));
    }

    /**
     * A platform for a peer at {@code address} on the LAN of {@code iface}, with the same interface
     * name: for a peer CARP host, {@code CarpHost.builder().platform(lan.peerPlatform("eth0",
     * "192.0.2.2")).config(config).build()}.
     *
     * @param iface the interface (and LAN)
     * @param address the peer's address on it
     * @return the platform, on the LANs' event loop
     */
    public SimulatedPlatform peerPlatform(String iface, String address) {
      SimulatedHost host = addHost(iface, "peer-" + peers.incrementAndGet(), address);
      return new SimulatedPlatform(loop).attach(iface, host);
    }

    /**
     * The addresses this application's router has added to {@code iface}, as {@code
     * address/prefix}.
     *
     * @param iface the interface
     * @return the addresses, empty before the router was built
     */
    public Set<String> addresses(String iface) {
      Set<String> all = new java.util.LinkedHashSet<>();
      for (SimulatedPlatform platform : selves) {
        all.addAll(platform.addresses(iface));
      }
      return all;
    }

    /**
     * Takes the link of this application's {@code iface} down or up.
     *
     * @param iface the interface
     * @param up the new link state
     */
    public void setLink(String iface, boolean up) {
      SimulatedPlatform platform = selves.get(0);
      loop.execute(() -> platform.setLink(iface, up));
    }

    /** Stops the event loop. */
    @Override
    public void close() {
      loop.close();
    }

    /** Adds a host on the loop: the network's host list is the loop's to read. */
    private SimulatedHost addHost(String iface, String name, String address) {
      SimulatedNetwork network = network(iface);
      InetAddress ip = ip(address);
      if (loop.inEventLoop()) {
        return network.addHost(name, ip);
      }
      CompletableFuture<SimulatedHost> host = new CompletableFuture<>();
      loop.execute(() -> host.complete(network.addHost(name, ip)));
      return host.join();
    }

    static InetAddress ip(String literal) {
      try {
        return InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + literal, e);
      }
    }
  }
}
