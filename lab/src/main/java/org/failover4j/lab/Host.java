package org.failover4j.lab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.failover4j.api.AddressText;

/** A host of a {@link Lab}: a network namespace with one interface per LAN it joined. */
public final class Host {

  private final Lab lab;
  private final String name;
  private final String namespace;
  private final int number;
  private final Map<Lan, String> interfaces = new LinkedHashMap<>();
  private ExecutorService inside;

  Host(Lab lab, String name, String namespace, int number) {
    this.lab = lab;
    this.name = name;
    this.namespace = namespace;
    this.number = number;
  }

  /** The name the test gave it. */
  public String name() {
    return name;
  }

  /** The network namespace, for {@code ip netns exec}. */
  public String namespace() {
    return namespace;
  }

  /** Its number in the lab, from 1; its addresses end in {@code 10 + number}. */
  public int number() {
    return number;
  }

  /** The lab it belongs to. */
  public Lab lab() {
    return lab;
  }

  /** Its interface on {@code lan}, such as {@code eth0}. */
  public String iface(Lan lan) {
    String iface = interfaces.get(lan);
    if (iface == null) {
      throw new IllegalArgumentException(name + " is not on LAN " + lan.name());
    }
    return iface;
  }

  /** Its own IPv4 address on {@code lan}. */
  public InetAddress ipv4(Lan lan) {
    iface(lan);
    return lan.ipv4(10 + number);
  }

  /** Its own global IPv6 address on {@code lan}. */
  public InetAddress ipv6(Lan lan) {
    iface(lan);
    return lan.ipv6(10 + number);
  }

  /** Runs a command inside the host and returns what happened, whatever the exit status. */
  public ExecResult exec(String... command) {
    return Lab.execIn(namespace, List.of(command));
  }

  /**
   * Runs a command inside the host, killed after {@code timeout} instead of the lab's default 30 s
   * (deleting a thousand macvlans in one {@code ip -batch} takes longer), and returns what
   * happened.
   */
  public ExecResult exec(java.time.Duration timeout, String... command) {
    return Lab.execIn(namespace, List.of(command), timeout);
  }

  /** Runs a command inside the host; throws unless it exits with 0. */
  public ExecResult run(String... command) {
    return exec(command).orThrow();
  }

  /** Starts a program in the background inside the host; the lab stops it at the end. */
  public LabProcess start(String processName, List<String> command) {
    return lab.start(namespace, name + "-" + processName, command);
  }

  /** Starts a program in the background inside the host; the lab stops it at the end. */
  public LabProcess start(String processName, String... command) {
    return start(processName, List.of(command));
  }

  /**
   * An executor whose one thread lives inside this host's namespace: sockets and netlink sockets
   * opened there belong to the host, whichever thread uses them later. The lab shuts it down.
   */
  public synchronized ExecutorService executor() {
    if (inside == null) {
      inside = NetnsThreads.executor(namespace);
    }
    return inside;
  }

  /**
   * Runs {@code task} inside the host's namespace and returns its result, rethrowing what it
   * throws. Typical use: {@code DatagramChannel channel = host.call(DatagramChannel::open);}
   */
  public <T> T call(Callable<T> task) throws Exception {
    try {
      return executor().submit(task).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * A UDP socket of this host bound to {@code address} (any port), waiting up to {@code wait} for
   * the address to arrive: a new VRRP master's virtual address comes a moment after it says so.
   */
  public java.nio.channels.DatagramChannel udpSocketOn(InetAddress address, java.time.Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return call(
            () -> {
              java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open();
              try {
                return channel.bind(new java.net.InetSocketAddress(address, 0));
              } catch (java.io.IOException e) {
                channel.close();
                throw e;
              }
            });
      } catch (java.net.BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /** Starts a capture on one of the host's interfaces. */
  public Capture capture(String captureName, String iface, String captureFilter) {
    return Capture.start(lab, namespace, iface, captureFilter, name + "-" + captureName);
  }

  /** Takes its interface on {@code lan} administratively down. */
  public void linkDown(Lan lan) {
    run("ip", "link", "set", iface(lan), "down");
  }

  /** Brings its interface on {@code lan} back up. */
  public void linkUp(Lan lan) {
    run("ip", "link", "set", iface(lan), "up");
  }

  /**
   * The addresses on {@code iface} as {@code ip -j addr} reports them, such as {@code
   * 192.0.2.100/24}, in the kernel's order.
   */
  public List<String> addresses(String iface) {
    List<String> result = new ArrayList<>();
    for (Object link : Json.parseArray(run("ip", "-j", "addr", "show", "dev", iface).stdout())) {
      for (Object info : Json.list(Json.map(link).get("addr_info"))) {
        Map<String, Object> address = Json.map(info);
        result.add(address.get("local") + "/" + Json.number(address.get("prefixlen")).intValue());
      }
    }
    return result;
  }

  /** True when {@code address} (no prefix length) is on {@code iface}. */
  public boolean hasAddress(String iface, InetAddress address) {
    String wanted = AddressText.of(address);
    for (String a : addresses(iface)) {
      String literal = a.substring(0, a.indexOf('/'));
      if (literal.equalsIgnoreCase(wanted) || sameAddress(literal, address)) {
        return true;
      }
    }
    return false;
  }

  /** The interface's details from {@code ip -j -d link show}. */
  public Map<String, Object> link(String iface) {
    return Json.map(
        Json.parseArray(run("ip", "-j", "-d", "link", "show", "dev", iface).stdout()).get(0));
  }

  /** The interface's index inside the host. */
  public int ifindex(String iface) {
    return Json.number(link(iface).get("ifindex")).intValue();
  }

  /** The interface's MAC address, lower-case with colons. */
  public String mac(String iface) {
    return (String) link(iface).get("address");
  }

  synchronized void shutdownExecutor() {
    if (inside != null) {
      inside.shutdownNow();
    }
  }

  void attached(Lan lan, String iface) {
    interfaces.put(lan, iface);
  }

  int interfaceCount() {
    return interfaces.size();
  }

  private static boolean sameAddress(String literal, InetAddress address) {
    try {
      return InetAddress.getByName(literal).equals(address);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "host " + name + " (" + namespace + ")";
  }
}
