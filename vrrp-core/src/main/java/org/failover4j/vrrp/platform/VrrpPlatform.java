package org.failover4j.vrrp.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.Executor;
import org.failover4j.api.EventLoop;
import org.failover4j.vrrp.codec.IpFamily;

/**
 * The machine under a VRRP router. Every method except {@link #eventLoop()} and {@link #close()} is
 * called on the event loop.
 */
public interface VrrpPlatform extends Closeable {

  /** The loop that runs the router: its timers, its sockets, its state machines. */
  EventLoop eventLoop();

  /** The current state of {@code iface}. */
  InterfaceState interfaceState(String iface) throws IOException;

  /** Opens the advert socket(s) of {@code iface} for {@code family}, delivering to {@code sink}. */
  AdvertChannel openAdvertChannel(String iface, IpFamily family, AdvertSink sink)
      throws IOException;

  /** Adds {@code address/prefixLength} to {@code iface}; adding what is there is not an error. */
  void addAddress(String iface, InetAddress address, int prefixLength) throws IOException;

  /** Removes the address from {@code iface}; removing what is not there is not an error. */
  void removeAddress(String iface, InetAddress address, int prefixLength) throws IOException;

  /**
   * Announces {@code address} from {@code mac} on {@code iface}: a gratuitous ARP for IPv4, an
   * unsolicited neighbour advertisement for IPv6.
   */
  void announce(String iface, InetAddress address, byte[] mac) throws IOException;

  /**
   * Creates the private macvlan {@code name} on {@code parent} with {@code mac}, up, and returns
   * its state; an existing one with that name is replaced.
   */
  InterfaceState createVirtualMac(String name, String parent, byte[] mac) throws IOException;

  /** Deletes the macvlan {@code name}; a missing one is not an error. */
  void deleteVirtualMac(String name) throws IOException;

  /** Starts reporting link changes to {@code listener}; closing the result stops it. */
  Closeable watchLinks(LinkStateListener listener) throws IOException;

  /** Where health checks run: off the loop in real use, inline under virtual time. */
  Executor checkExecutor();
}
