package org.failover4j.api.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.failover4j.api.EventLoop;
import org.failover4j.api.address.VirtualAddress;

/**
 * The machine under an election protocol, shared by VRRP and CARP: the event loop, interfaces and
 * their link events, the protocol-112 advert socket of each interface and family (one, shared by
 * every instance there), virtual addresses, announcements (gratuitous ARP / unsolicited NA) and
 * virtual MACs. Two implementations exist: {@code org.failover4j.api.sim.SimulatedPlatform} (pure
 * Java, for tests and demos) and {@code org.failover4j.netlink.platform.NetlinkPlatform} in the
 * {@code netlink-jna} module (the Linux kernel).
 *
 * <p>Every method except {@link #eventLoop()} and {@link #close()} is called on the event loop.
 */
public interface Platform extends Closeable {

  /** {@return the loop that runs the protocols: their timers, sockets and state machines} */
  EventLoop eventLoop();

  /**
   * {@return the current state of {@code iface}}
   *
   * @param iface the interface name
   * @throws IOException when the kernel refuses
   */
  InterfaceState interfaceState(String iface) throws IOException;

  /**
   * Claims {@code owner}'s adverts on {@code iface} for {@code family}: they are delivered to
   * {@code sink}, and the returned channel sends through the interface's one shared socket.
   *
   * @param iface the interface name
   * @param family IPv4 or IPv6
   * @param owner the VRRP instance or CARP host whose adverts these are
   * @param sink where the owner's datagrams go, on the event loop
   * @return the owner's channel; closing it releases the claim
   * @throws IllegalStateException when another instance already owns {@code owner} there
   * @throws IOException when the kernel refuses
   */
  AdvertChannel openAdvertChannel(String iface, IpFamily family, AdvertOwner owner, AdvertSink sink)
      throws IOException;

  /**
   * {@return what the shared advert sockets dropped before any owner saw it, or could not send, by
   * reason}
   */
  Map<AdvertDropReason, Long> advertDrops();

  /**
   * Adds {@code address/prefixLength} to {@code iface}; adding what is there is not an error.
   *
   * @param iface the interface name
   * @param address the address
   * @param prefixLength the prefix length
   * @throws IOException when the kernel refuses
   */
  void addAddress(String iface, InetAddress address, int prefixLength) throws IOException;

  /**
   * Adds {@code address} to {@code iface} with its scope and label (its {@link
   * VirtualAddress#device()} is the caller's choice of {@code iface}); adding what is there is not
   * an error. A platform that cannot set a scope or label refuses an address with one (this
   * default); the simulated and the netlink platforms set both.
   *
   * @param iface the interface name
   * @param address the address, its prefix length, scope and label
   * @throws IOException when the kernel refuses, or the platform cannot set the scope or label
   */
  default void addAddress(String iface, VirtualAddress address) throws IOException {
    if (address.hasOptions()) {
      throw new IOException(
          "cannot add " + address + ": this platform sets no address scope or label");
    }
    addAddress(iface, address.address(), address.prefixLength());
  }

  /**
   * Adds the address as {@link #addAddress(String, VirtualAddress)} does, or lets the platform do
   * it a little later in the same loop turn, batched with the other addresses the turn's timers
   * move and after their adverts: a thousand instances taking over at once then send every advert
   * first and move their addresses in a few system calls. A refusal the platform learns only later
   * reaches {@code refused} on the event loop, after this call returned; one address refused never
   * stops the others. This default adds at once.
   *
   * @param iface the interface name
   * @param address the address, its prefix length, scope and label
   * @param refused told on the loop when a deferred add is refused
   * @throws IOException when the kernel refuses at once, or the platform cannot set the scope or
   *     label
   */
  default void addAddressSoon(String iface, VirtualAddress address, Consumer<IOException> refused)
      throws IOException {
    addAddress(iface, address);
  }

  /**
   * Runs {@code work} once the adverts this loop turn has queued have left: when several takeovers
   * fall due together, what only reports on them (a log line) then waits for the others' adverts
   * instead of delaying them. Work handed over in one turn runs in the order it was handed over, in
   * that same turn, on the event loop. This default, like a platform with no advert queued, runs it
   * at once.
   *
   * @param work what to run; what it throws is logged
   */
  default void afterQueuedAdverts(Runnable work) {
    work.run();
  }

  /**
   * Plays the host's side of a takeover without changing the host, so that a router's first real
   * takeover does not run that code for the first time; a router asks for it once its instances
   * have started, so that an owner's first advert waits for nothing. Returns at once, runs on the
   * event loop, and plays once however often it is asked. This default has nothing to play.
   */
  default void rehearseTakeover() {}

  /**
   * Removes the address from {@code iface}; removing what is not there is not an error.
   *
   * @param iface the interface name
   * @param address the address
   * @param prefixLength the prefix length
   * @throws IOException when the kernel refuses
   */
  void removeAddress(String iface, InetAddress address, int prefixLength) throws IOException;

  /**
   * Announces {@code address} from {@code mac} on {@code iface}: a gratuitous ARP for IPv4, an
   * unsolicited neighbour advertisement for IPv6.
   *
   * @param iface the interface name
   * @param address the address
   * @param mac the hardware address
   * @throws IOException when the kernel refuses
   */
  void announce(String iface, InetAddress address, byte[] mac) throws IOException;

  /**
   * Creates the private macvlan {@code name} on {@code parent} with {@code mac}, up, and returns
   * its state; an existing one with that name is replaced.
   *
   * @param name the macvlan's name
   * @param parent the interface it sits on
   * @param mac the hardware address
   * @return the new interface's state
   * @throws IOException when the kernel refuses
   */
  InterfaceState createVirtualMac(String name, String parent, byte[] mac) throws IOException;

  /**
   * Deletes the macvlan {@code name}; a missing one is not an error.
   *
   * @param name the macvlan's name
   * @throws IOException when the kernel refuses
   */
  void deleteVirtualMac(String name) throws IOException;

  /**
   * Starts reporting link changes to {@code listener}; closing the result stops it.
   *
   * @param listener the listener, called on the event loop
   * @return a handle that stops the reports when closed
   * @throws IOException when the kernel refuses
   */
  Closeable watchLinks(LinkStateListener listener) throws IOException;

  /**
   * Starts reporting removed addresses to {@code listener}, whoever removed them (the runtime's own
   * removals included); closing the result stops it.
   *
   * @param listener the listener, called on the event loop
   * @return a handle that stops the reports when closed
   * @throws IOException when the kernel refuses
   */
  Closeable watchAddresses(AddressListener listener) throws IOException;

  /** {@return where health checks run: off the loop in real use, inline under virtual time} */
  Executor checkExecutor();
}
