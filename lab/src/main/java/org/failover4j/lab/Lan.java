package org.failover4j.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.failover4j.api.AddressText;

/**
 * One LAN of a {@link Lab}: a bridge in the switch namespace with one port per attached host. Loss
 * and partitions are nftables rules on the bridge's forward hook, so they act on frames between
 * hosts and never on the hosts' own stacks.
 */
public final class Lan {

  private static final String[] IPV4_PREFIXES = {"192.0.2.", "198.51.100."};
  private static final String NFT_TABLE = "lab";
  private static final String NFT_CHAIN = "impair";

  private final Lab lab;
  private final String name;
  private final int index;
  private final Map<Host, String> ports = new LinkedHashMap<>();
  private boolean impairmentChain;

  Lan(Lab lab, String name, int index) {
    this.lab = lab;
    this.name = name;
    this.index = index;
  }

  /** The name the test gave it. */
  public String name() {
    return name;
  }

  /** The bridge device in the switch namespace. */
  public String bridge() {
    return "br" + index;
  }

  /** True when this LAN has an IPv4 prefix (only the first two do). */
  public boolean hasIpv4() {
    return index < IPV4_PREFIXES.length;
  }

  /** The IPv4 prefix length of the LAN's addresses. */
  public int ipv4PrefixLength() {
    return 24;
  }

  /** The IPv4 address {@code .hostPart} on this LAN, such as 192.0.2.100. */
  public InetAddress ipv4(int hostPart) {
    if (!hasIpv4()) {
      throw new IllegalStateException("LAN " + name + " is IPv6-only");
    }
    return parse(IPV4_PREFIXES[index] + hostPart);
  }

  /** The IPv6 address {@code 2001:db8:<lan>::<hostPart>}, the host part written in hex digits. */
  public InetAddress ipv6(int hostPart) {
    return parse("2001:db8:" + Integer.toHexString(index) + "::" + hostPart);
  }

  /** Starts a capture on the bridge, which sees every frame between the LAN's hosts. */
  public Capture capture(String name, String captureFilter) {
    return Capture.start(lab, lab.switchNamespace(), bridge(), captureFilter, name);
  }

  /** Drops {@code percent} % of the frames the bridge forwards, at random. */
  public void loss(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in 0..100, was " + percent);
    }
    String lanPorts = portSet(ports.keySet());
    if (percent == 100) {
      nftRule("iifname", lanPorts, "drop");
    } else if (percent > 0) {
      String threshold = Integer.toString(percent);
      nftRule("iifname", lanPorts, "numgen", "random", "mod", "100", "<", threshold, "drop");
    }
  }

  /**
   * Stops all frames between the hosts of {@code side} and the hosts of {@code other}. Rules match
   * the LAN's own switch ports by name, which are unique across the lab's LANs.
   */
  public void partition(Collection<Host> side, Collection<Host> other) {
    String a = portSet(side);
    String b = portSet(other);
    nftRule("iifname", a, "oifname", b, "drop");
    nftRule("iifname", b, "oifname", a, "drop");
  }

  /** Removes every loss and partition rule. */
  public void heal() {
    if (impairmentChain) {
      lab.inSwitch("nft", "flush", "chain", "bridge", NFT_TABLE, NFT_CHAIN);
    }
  }

  /** Takes the host's switch port down: the host sees its carrier go away. */
  public void unplug(Host host) {
    lab.inSwitch("ip", "link", "set", port(host), "down");
  }

  /** Brings the host's switch port back up. */
  public void plug(Host host) {
    lab.inSwitch("ip", "link", "set", port(host), "up");
  }

  /** The hosts attached to this LAN, in attachment order. */
  public List<Host> hosts() {
    return new ArrayList<>(ports.keySet());
  }

  void attach(Host host) {
    String port = "p" + host.number() + "l" + index;
    String iface = "eth" + host.interfaceCount();
    connect(host, port, iface);
    host.attached(this, iface);
    configure(host, iface);
  }

  /**
   * Deletes the host's interface on this LAN and creates it again with the same name and addresses:
   * a new index and a new MAC, as when a driver reloads or a VM's NIC is replaced.
   */
  public void recreate(Host host) {
    String port = port(host);
    String iface = host.iface(this);
    host.run("ip", "link", "del", iface);
    connect(host, port, iface);
    configure(host, iface);
  }

  private void connect(Host host, String port, String iface) {
    lab.inSwitch(
        "ip",
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        iface,
        "netns",
        host.namespace());
    lab.inSwitch("ip", "link", "set", port, "master", bridge(), "up");
    ports.put(host, port);
  }

  private void configure(Host host, String iface) {
    host.run("ip", "link", "set", iface, "up");
    int part = 10 + host.number();
    if (hasIpv4()) {
      host.run(
          "ip", "addr", "add", AddressText.of(ipv4(part)) + "/" + ipv4PrefixLength(), "dev", iface);
    }
    host.run("ip", "addr", "add", AddressText.of(ipv6(part)) + "/64", "dev", iface, "nodad");
  }

  String port(Host host) {
    String port = ports.get(host);
    if (port == null) {
      throw new IllegalArgumentException(host.name() + " is not on LAN " + name);
    }
    return port;
  }

  private String portSet(Collection<Host> hosts) {
    return hosts.stream()
        .map(h -> "\"" + port(h) + "\"")
        .collect(Collectors.joining(", ", "{ ", " }"));
  }

  private void nftRule(String... match) {
    if (!impairmentChain) {
      lab.inSwitch("nft", "add", "table", "bridge", NFT_TABLE);
      lab.inSwitch(
          "nft",
          "add",
          "chain",
          "bridge",
          NFT_TABLE,
          NFT_CHAIN,
          "{ type filter hook forward priority 0; policy accept; }");
      impairmentChain = true;
    }
    List<String> command =
        new ArrayList<>(List.of("nft", "add", "rule", "bridge", NFT_TABLE, NFT_CHAIN));
    command.addAll(List.of(match));
    lab.inSwitch(command.toArray(String[]::new));
  }

  private static InetAddress parse(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  @Override
  public String toString() {
    return "LAN " + name + " (" + bridge() + ")";
  }
}
