package org.failover4j.api.sim;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.failover4j.api.AddressText;
import org.failover4j.api.EventLoop;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.platform.AddressListener;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertChannels;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.AdvertSocket;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;

/**
 * A {@link Platform} over the simulated network: each interface is a {@link SimulatedHost}
 * attachment, addresses live in a set tests can read, announcements are counted, links go down and
 * up on command, and health checks run inline on the loop. Adverts cross the simulated LAN exactly
 * as the codec wrote them (whole IPv4 datagrams; VRRP messages over IPv6).
 */
public final class SimulatedPlatform implements Platform {

  private static final int HOP_LIMIT = 255;

  private final EventLoop loop;
  private final Map<String, Port> ports = new LinkedHashMap<>();
  private final List<LinkStateListener> linkListeners = new CopyOnWriteArrayList<>();
  private final List<AddressListener> addressListeners = new CopyOnWriteArrayList<>();
  private String refusal;
  private boolean deferAdds;
  private final Map<SimulatedHost, List<Consumer<SimulatedFrame>>> receivers = new HashMap<>();
  private final AdvertChannels channels = new AdvertChannels(this::openSocket);
  private long announcements;
  private final List<String> announcementLog = new ArrayList<>();
  private final Map<InetAddress, String> refusedAnnouncements = new HashMap<>();
  private int nextIndex = 2;
  private Executor checks = Runnable::run;

  /**
   * A platform whose router runs on {@code loop}.
   *
   * @param loop the event loop of the simulated network
   */
  public SimulatedPlatform(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * Gives the router interface {@code iface}, attached to the simulated LAN as {@code host}.
   *
   * @param iface the interface name
   * @param host the host on the simulated network
   * @return this platform
   */
  public SimulatedPlatform attach(String iface, SimulatedHost host) {
    int index = nextIndex++;
    ports.put(iface, new Port(iface, index, macOf(index), host, null));
    return this;
  }

  private static byte[] macOf(int index) {
    return new byte[] {0x02, 0x00, 0x00, 0x00, (byte) (index >> 8), (byte) index};
  }

  /**
   * Deletes {@code iface} and creates it again, as a driver reset or a container runtime does: the
   * link listeners hear it go down, its addresses and the virtual MACs on it vanish (the kernel
   * reports no removal for a link that is gone), and it comes back up with a new index and MAC.
   *
   * @param iface the interface name
   */
  public void recreate(String iface) {
    Port old = port(iface);
    // Sockets bound to the old interface or its macvlans fail from now on, as with ENODEV.
    old.up = false;
    List<String> gone = new ArrayList<>();
    for (Port p : ports.values()) {
      if (p.parent == old) {
        p.up = false;
        gone.add(p.name);
      }
    }
    gone.forEach(ports::remove);
    ports.remove(iface);
    for (String name : gone) {
      linkListeners.forEach(l -> l.linkChanged(name, false));
    }
    linkListeners.forEach(l -> l.linkChanged(iface, false));
    int index = nextIndex++;
    ports.put(iface, new Port(iface, index, macOf(index), old.host, null));
    rebind(iface);
    linkListeners.forEach(l -> l.linkChanged(iface, true));
  }

  /** As the kernel platform does for a link with a new index: the shared sockets open again. */
  private void rebind(String iface) {
    try {
      channels.reopen(iface);
    } catch (IOException e) {
      throw new IllegalStateException("cannot rebind the simulated sockets of " + iface, e);
    }
  }

  /**
   * Every announcement sent so far, oldest first, as {@code "iface address mac"} with the MAC in
   * colon-separated hex, such as {@code "eth0 192.0.2.100 02:00:00:00:00:02"}.
   *
   * @return a copy of the log
   */
  public List<String> announcementLog() {
    return List.copyOf(announcementLog);
  }

  /**
   * Makes every later announcement of {@code address} fail with {@code why} (as the kernel refuses
   * a neighbour advertisement for an address it has not finished adding), or, with null, succeed.
   *
   * @param address the address
   * @param why the error message, or null to allow it again
   */
  public void refuseAnnouncements(InetAddress address, String why) {
    if (why == null) {
      refusedAnnouncements.remove(address);
    } else {
      refusedAnnouncements.put(address, why);
    }
  }

  /**
   * Sets where health checks run: inline on the loop by default, so virtual time decides
   * everything; a test can pass an executor that holds runs to play a check that hangs.
   *
   * @param executor where health checks run
   * @return this platform
   */
  public SimulatedPlatform checkExecutor(Executor executor) {
    this.checks = executor;
    return this;
  }

  /**
   * {@return the addresses the router has added to {@code iface}, as {@code address/prefix}}
   *
   * @param iface the interface name
   */
  public Set<String> addresses(String iface) {
    return Set.copyOf(port(iface).addresses.keySet());
  }

  /**
   * Gratuitous ARPs and unsolicited NAs sent so far.
   *
   * @return the count
   */
  public long announcementsSent() {
    return announcements;
  }

  /**
   * Takes the link of {@code iface} down or up: no frames pass while down.
   *
   * @param iface the interface name
   * @param up false to take the link down
   */
  public void setLink(String iface, boolean up) {
    Port port = port(iface);
    if (port.up != up) {
      port.up = up;
      for (LinkStateListener l : linkListeners) {
        l.linkChanged(iface, up);
      }
    }
  }

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  @Override
  public InterfaceState interfaceState(String iface) throws IOException {
    Port port = ports.get(iface);
    if (port == null) {
      throw new IOException("no interface named " + iface);
    }
    return port.state();
  }

  @Override
  public AdvertChannel openAdvertChannel(
      String iface, IpFamily family, AdvertOwner owner, AdvertSink sink) throws IOException {
    port(iface);
    return channels.open(iface, family, owner, sink);
  }

  @Override
  public Map<AdvertDropReason, Long> advertDrops() {
    return channels.drops().snapshot();
  }

  private AdvertSocket openSocket(String iface, IpFamily family, AdvertSink sink) {
    Port port = port(iface);
    ReceivedDatagram holder = new ReceivedDatagram();
    Consumer<SimulatedFrame> receiver = frame -> deliver(port, family, frame, holder, sink);
    receiversOf(port.host).add(receiver);
    return new AdvertSocket() {
      private final List<InetAddress> destinations = new ArrayList<>();

      /** Per destination: whether its fixed source is not the host's one address. */
      private final List<Boolean> foreignSource = new ArrayList<>();

      @Override
      public int addDestination(InetAddress destination, InetAddress source) {
        destinations.add(destination);
        // Frames carry the host's address: an IPv6 advert fixed to another cannot be sent.
        foreignSource.add(
            family == IpFamily.IPV6 && source != null && !source.equals(port.host.address()));
        return destinations.size() - 1;
      }

      @Override
      public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
        if (!port.up || !port.host.isUp()) {
          return SendOutcome.REFUSED;
        }
        if (foreignSource.get(destination)) {
          return SendOutcome.SOURCE_UNAVAILABLE;
        }
        port.host.send(
            destinations.get(destination),
            packet.duplicate().position(offset).limit(offset + length));
        return SendOutcome.SENT;
      }

      @Override
      public void close() {
        receiversOf(port.host).remove(receiver);
      }
    };
  }

  /**
   * The channels listening on {@code host}: a host has one receiver, and the interface and its
   * virtual MACs share it, so frames are handed to every socket opened on it.
   */
  private List<Consumer<SimulatedFrame>> receiversOf(SimulatedHost host) {
    return receivers.computeIfAbsent(
        host,
        h -> {
          List<Consumer<SimulatedFrame>> list = new CopyOnWriteArrayList<>();
          h.onReceive(frame -> list.forEach(r -> r.accept(frame)));
          return list;
        });
  }

  /**
   * Describes a frame as a kernel socket would: an IPv4 frame is the whole datagram the sender
   * built, an IPv6 frame the protocol-112 payload with the addresses beside it.
   */
  private static void deliver(
      Port port, IpFamily family, SimulatedFrame frame, ReceivedDatagram holder, AdvertSink sink) {
    if (!port.up || (IpFamily.of(frame.source()) != family)) {
      return;
    }
    ByteBuffer payload = frame.payload();
    int at = payload.position();
    int length = payload.remaining();
    holder.reset(family == IpFamily.IPV6);
    holder.setIfindex(port.index);
    if (family == IpFamily.IPV6) {
      System.arraycopy(frame.source().getAddress(), 0, holder.sourceArray(), 0, 16);
      System.arraycopy(frame.destination().getAddress(), 0, holder.destinationArray(), 0, 16);
      holder.setDestinationKnown();
      holder.setHopLimit(HOP_LIMIT);
      holder.fillIpv6(payload, at, length, length, IpProtocol.VRRP);
    } else {
      holder.fillIpv4(payload, at, length, length);
    }
    sink.received(holder);
  }

  @Override
  public void addAddress(String iface, InetAddress address, int prefixLength) throws IOException {
    addAddress(iface, new VirtualAddress(address, prefixLength));
  }

  @Override
  public void addAddress(String iface, VirtualAddress address) throws IOException {
    Port port = port(iface);
    if (refusal != null) {
      throw new IOException("cannot add " + AddressText.of(address.address()) + ": " + refusal);
    }
    String key = address.address().getHostAddress() + "/" + address.prefixLength();
    port.addresses.putIfAbsent(key, address.onDevice(null));
  }

  /**
   * Adds at once, or, after {@link #deferAddressAdds}, in a task after the caller's (as the netlink
   * platform moves a turn's addresses after its adverts): a refusal then reaches {@code refused}.
   */
  @Override
  public void addAddressSoon(String iface, VirtualAddress address, Consumer<IOException> refused)
      throws IOException {
    if (!deferAdds) {
      addAddress(iface, address);
      return;
    }
    port(iface);
    loop.execute(
        () -> {
          try {
            addAddress(iface, address);
          } catch (IOException e) {
            refused.accept(e);
          }
        });
  }

  /**
   * Runs {@code work} at once, or, after {@link #deferAddressAdds}, in a task after the caller's
   * (as the netlink platform runs it once a turn's queued adverts have left).
   */
  @Override
  public void afterQueuedAdverts(Runnable work) {
    if (deferAdds) {
      loop.execute(work);
    } else {
      work.run();
    }
  }

  /**
   * Makes {@link #addAddressSoon} add, and {@link #afterQueuedAdverts} run, later in the same turn,
   * as the netlink platform does while its timers run, so that a refusal arrives after the takeover
   * went on.
   *
   * @param defer true to defer
   */
  public void deferAddressAdds(boolean defer) {
    this.deferAdds = defer;
  }

  /**
   * {@return the address {@code address/prefix} on {@code iface} with the scope and label it was
   * added with, or null when {@code iface} does not have it}
   *
   * @param iface the interface name
   * @param cidr the address as {@link #addresses} lists it
   */
  public VirtualAddress addedAddress(String iface, String cidr) {
    return port(iface).addresses.get(cidr);
  }

  /**
   * Makes every later {@link #addAddress} fail with {@code why} (as a process without CAP_NET_ADMIN
   * sees EPERM), or, with null, succeed again.
   *
   * @param why the error message, or null to allow changes again
   */
  public void refuseAddressChanges(String why) {
    this.refusal = why;
  }

  /**
   * Removes {@code address/prefixLength} from {@code iface} behind the runtime's back, as an
   * operator's {@code ip addr del} would, and tells the address listeners (as the kernel reports
   * every removal, the runtime's own ones too).
   *
   * @param iface the interface name
   * @param address the address
   * @param prefixLength its prefix length
   */
  public void removeAddressExternally(String iface, InetAddress address, int prefixLength) {
    String key = address.getHostAddress() + "/" + prefixLength;
    if (port(iface).addresses.remove(key) != null) {
      for (AddressListener l : addressListeners) {
        l.addressRemoved(iface, address, prefixLength);
      }
    }
  }

  @Override
  public void removeAddress(String iface, InetAddress address, int prefixLength)
      throws IOException {
    removeAddressExternally(iface, address, prefixLength);
  }

  @Override
  public void announce(String iface, InetAddress address, byte[] mac) throws IOException {
    String refused = refusedAnnouncements.get(address);
    if (refused != null) {
      throw new IOException("cannot announce " + address.getHostAddress() + ": " + refused);
    }
    if (port(iface).up) {
      announcements++;
      StringBuilder text = new StringBuilder(iface).append(' ').append(address.getHostAddress());
      for (int i = 0; i < mac.length; i++) {
        text.append(i == 0 ? ' ' : ':').append(String.format("%02x", mac[i] & 0xFF));
      }
      announcementLog.add(text.toString());
    }
  }

  @Override
  public InterfaceState createVirtualMac(String name, String parent, byte[] mac)
      throws IOException {
    Port base = port(parent);
    Port vmac = new Port(name, nextIndex++, mac, base.host, base);
    Port replaced = ports.put(name, vmac);
    if (replaced != null) {
      replaced.up = false;
    }
    rebind(name);
    return vmac.state();
  }

  @Override
  public void deleteVirtualMac(String name) {
    Port gone = ports.remove(name);
    if (gone != null) {
      gone.up = false;
    }
  }

  @Override
  public Closeable watchLinks(LinkStateListener listener) {
    linkListeners.add(listener);
    return () -> linkListeners.remove(listener);
  }

  @Override
  public Closeable watchAddresses(AddressListener listener) {
    addressListeners.add(listener);
    return () -> addressListeners.remove(listener);
  }

  @Override
  public Executor checkExecutor() {
    return checks;
  }

  @Override
  public void close() {
    linkListeners.clear();
    addressListeners.clear();
    channels.closeAll();
  }

  private Port port(String iface) {
    Port port = ports.get(iface);
    if (port == null) {
      throw new IllegalArgumentException("no simulated interface " + iface);
    }
    return port;
  }

  /** One simulated interface. */
  private static final class Port {
    final String name;
    final int index;
    final byte[] mac;
    final SimulatedHost host;
    final Port parent;

    /** The addresses as {@code address/prefix}, each with the scope and label it was added with. */
    final Map<String, VirtualAddress> addresses = new LinkedHashMap<>();

    boolean up = true;

    Port(String name, int index, byte[] mac, SimulatedHost host, Port parent) {
      this.name = name;
      this.index = index;
      this.mac = mac;
      this.host = host;
      this.parent = parent;
    }

    InterfaceState state() {
      InetAddress address = host.address();
      return new InterfaceState(
          name,
          index,
          mac,
          up,
          address instanceof Inet4Address v4 ? v4 : null,
          address instanceof Inet6Address v6 ? v6 : null,
          address instanceof Inet6Address v6 && !v6.isLinkLocalAddress() ? v6 : null);
    }
  }
}
