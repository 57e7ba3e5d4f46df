package org.failover4j.netlink.rtnl;

import java.io.IOException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.failover4j.netlink.AddressNotAvailableException;
import org.failover4j.netlink.AlreadyExistsException;
import org.failover4j.netlink.DumpInterruptedException;
import org.failover4j.netlink.Errno;
import org.failover4j.netlink.ErrnoException;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkMessageWriter;
import org.failover4j.netlink.NetlinkSocket;
import org.failover4j.netlink.NoSuchDeviceException;

/**
 * rtnetlink requests: list and look up links, list, add and delete addresses, create and delete
 * macvlans, set links up and down, without running {@code ip}.
 *
 * <p>It talks to the kernel of the network namespace of the thread that opened it. Each call is one
 * synchronous round trip (tens of microseconds); calls from several threads are serialized. Adding
 * or deleting an address needs CAP_NET_ADMIN; errors are {@link ErrnoException}s carrying the
 * kernel's errno and extended-ack message.
 */
public final class RtNetlink implements AutoCloseable {

  private static final int REQUEST_BUFFER_SIZE = 4096;
  private static final int DUMP_ATTEMPTS = 5;

  /**
   * Most requests {@link #addAddresses} puts in one datagram: the kernel queues one acknowledgement
   * each, which must all fit the socket's receive buffer.
   */
  public static final int MAX_BATCH = 64;

  /** Room for {@link #MAX_BATCH} address requests (at most about 100 bytes each). */
  private static final int BATCH_BUFFER_SIZE = MAX_BATCH * 128;

  private final NetlinkSocket socket;
  private final ByteBuffer request =
      ByteBuffer.allocateDirect(REQUEST_BUFFER_SIZE).order(ByteOrder.nativeOrder());
  private final ByteBuffer batch =
      ByteBuffer.allocateDirect(BATCH_BUFFER_SIZE).order(ByteOrder.nativeOrder());
  private final NetlinkMessageWriter writer = new NetlinkMessageWriter();
  private final LinkCodec links = new LinkCodec();
  private final AddressCodec addresses = new AddressCodec();

  private RtNetlink(NetlinkSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens a {@code NETLINK_ROUTE} socket in the calling thread's network namespace.
   *
   * @return the socket
   * @throws IOException when the kernel refuses
   */
  public static RtNetlink open() throws IOException {
    return new RtNetlink(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
  }

  /**
   * {@return every link, in the kernel's order}
   *
   * @throws IOException when the kernel refuses
   */
  public synchronized List<LinkInfo> links() throws IOException {
    List<LinkInfo> result = new ArrayList<>();
    dumpConsistently(
        () -> {
          result.clear();
          LinkCodec.writeDump(writer.wrap(request.clear()));
          socket.dump(
              "RTM_GETLINK dump",
              request.flip(),
              reply -> {
                if (reply.type() == Rtnl.RTM_NEWLINK) {
                  result.add(links.decode(reply));
                }
              });
        });
    return result;
  }

  /**
   * {@return the link with index {@code index}, if there is one}
   *
   * @param index the interface index
   * @throws IOException when the kernel refuses
   */
  public synchronized Optional<LinkInfo> link(int index) throws IOException {
    if (index <= 0) {
      return Optional.empty();
    }
    LinkCodec.writeGet(writer.wrap(request.clear()), index);
    return getLink("RTM_GETLINK ifindex " + index);
  }

  /**
   * {@return the link named {@code name}, if there is one}
   *
   * @param name the interface name
   * @throws IOException when the kernel refuses
   */
  public synchronized Optional<LinkInfo> link(String name) throws IOException {
    if (name.isEmpty() || name.length() > Rtnl.MAX_NAME_LENGTH) {
      return Optional.empty();
    }
    LinkCodec.writeGet(writer.wrap(request.clear()), name);
    return getLink("RTM_GETLINK " + name);
  }

  /**
   * {@return every IPv4 and IPv6 address of every link}
   *
   * @throws IOException when the kernel refuses
   */
  public synchronized List<AddressInfo> addresses() throws IOException {
    List<AddressInfo> result = new ArrayList<>();
    dumpConsistently(
        () -> {
          result.clear();
          AddressCodec.writeDump(writer.wrap(request.clear()));
          socket.dump(
              "RTM_GETADDR dump",
              request.flip(),
              reply -> {
                if (reply.type() == Rtnl.RTM_NEWADDR) {
                  AddressInfo info = addresses.decode(reply);
                  if (info != null) {
                    result.add(info);
                  }
                }
              });
        });
    return result;
  }

  /**
   * {@return the IPv4 and IPv6 addresses of interface {@code ifindex}}
   *
   * @param ifindex the interface index
   * @throws IOException when the kernel refuses
   */
  public List<AddressInfo> addresses(int ifindex) throws IOException {
    List<AddressInfo> all = addresses();
    all.removeIf(a -> a.ifindex() != ifindex);
    return all;
  }

  /**
   * Adds the address; idempotent.
   *
   * @param spec what to add, delete or create
   * @return true when added, false when the interface already had it (for IPv6: the same address
   *     with any prefix length)
   * @throws NoSuchDeviceException when the interface does not exist
   * @throws ErrnoException for any other refusal, with the kernel's message
   */
  public synchronized boolean addAddress(AddressSpec spec) throws IOException {
    AddressCodec.writeChange(writer.wrap(request.clear()), spec, true);
    try {
      socket.request("RTM_NEWADDR " + spec, request.flip(), reply -> {});
      return true;
    } catch (AlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Adds every address, up to {@link #MAX_BATCH} requests per datagram: one system call and the
   * acknowledgements of all, instead of a round trip each. Idempotent as {@link #addAddress}; the
   * kernel carries out each request on its own, so an address refused never stops the others.
   *
   * @param specs what to add
   * @return per spec, in order: null when added or already there, else why it was not (the kernel's
   *     refusal, or the failure of its whole datagram)
   */
  public synchronized IOException[] addAddresses(List<AddressSpec> specs) {
    IOException[] outcome = new IOException[specs.size()];
    for (int from = 0; from < specs.size(); from += MAX_BATCH) {
      List<AddressSpec> chunk = specs.subList(from, Math.min(specs.size(), from + MAX_BATCH));
      int first = from;
      try {
        writer.wrap(batch.clear());
        for (AddressSpec spec : chunk) {
          AddressCodec.writeChange(writer, spec, true);
        }
        socket.requestAll(
            batch.flip(),
            i -> "RTM_NEWADDR " + chunk.get(i),
            (i, error) -> {
              // Already there is what was asked, as for one address.
              if (!(error instanceof AlreadyExistsException)) {
                outcome[first + i] = error;
              }
            });
      } catch (IOException | RuntimeException e) {
        IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        for (int i = 0; i < chunk.size(); i++) {
          outcome[first + i] = failure;
        }
      }
    }
    return outcome;
  }

  /**
   * Deletes the address (matched by address and prefix length); idempotent.
   *
   * @param spec what to add, delete or create
   * @return true when deleted, false when the interface did not have it
   * @throws NoSuchDeviceException when the interface does not exist
   * @throws ErrnoException for any other refusal, with the kernel's message
   */
  public synchronized boolean deleteAddress(AddressSpec spec) throws IOException {
    AddressCodec.writeChange(writer.wrap(request.clear()), spec, false);
    try {
      socket.request("RTM_DELADDR " + spec, request.flip(), reply -> {});
      return true;
    } catch (AddressNotAvailableException e) {
      return false;
    }
  }

  /**
   * Creates the macvlan and returns it as the kernel reports it.
   *
   * @param spec what to add, delete or create
   * @return the new link
   * @throws AlreadyExistsException when a link of that name exists
   * @throws NoSuchDeviceException when the parent does not exist
   */
  public synchronized LinkInfo createMacvlan(MacvlanSpec spec) throws IOException {
    LinkCodec.writeNewMacvlan(writer.wrap(request.clear()), spec);
    String operation = "RTM_NEWLINK macvlan " + spec.name() + " on ifindex " + spec.parentIndex();
    socket.request(operation, request.flip(), reply -> {});
    LinkInfo created = createdLink(spec.name(), operation);
    if (spec.linkLocal() == null) {
      return created;
    }
    try {
      giveLinkLocal(created.index(), spec.linkLocal());
      if (spec.up()) {
        setUp(created.index(), true);
      }
    } catch (IOException | RuntimeException e) {
      deleteLink(created.index()); // not half made: no macvlan with the address it derives
      throw e;
    }
    return createdLink(spec.name(), operation);
  }

  private LinkInfo createdLink(String name, String operation) throws IOException {
    LinkCodec.writeGet(writer.wrap(request.clear()), name);
    return getLink("RTM_GETLINK " + name)
        .orElseThrow(() -> new IOException(operation + ": created, then gone"));
  }

  /**
   * Stops the kernel from deriving IPv6 addresses for the (still down) link and adds {@code
   * linkLocal}, without duplicate address detection, as keepalived does for its virtual MACs.
   * Nothing to do where the kernel runs no IPv6 at all.
   */
  private void giveLinkLocal(int index, Inet6Address linkLocal) throws IOException {
    LinkCodec.writeNoIpv6AddressGeneration(writer.wrap(request.clear()), index);
    try {
      socket.request(
          "RTM_NEWLINK ifindex " + index + " addrgenmode none", request.flip(), reply -> {});
    } catch (ErrnoException e) {
      if (e.errno() == Errno.EAFNOSUPPORT) {
        return; // IPv6 disabled: no address derived, none to give
      }
      throw e;
    }
    addAddress(
        AddressSpec.builder(linkLocal, index)
            .prefixLength(64)
            .scope(AddressScope.LINK)
            .flag(AddressFlag.NODAD)
            .build());
  }

  /**
   * Deletes the link with index {@code index}; idempotent.
   *
   * @param index the interface index
   * @return true when deleted, false when there was no such link
   * @throws IOException when the kernel refuses
   */
  public synchronized boolean deleteLink(int index) throws IOException {
    LinkCodec.writeDelete(writer.wrap(request.clear()), index);
    try {
      socket.request("RTM_DELLINK ifindex " + index, request.flip(), reply -> {});
      return true;
    } catch (NoSuchDeviceException e) {
      return false;
    }
  }

  /**
   * Sets the link administratively up or down ({@code ip link set up/down}).
   *
   * @param index the interface index
   * @param up true for up
   * @throws IOException when the kernel refuses
   */
  public synchronized void setUp(int index, boolean up) throws IOException {
    LinkCodec.writeSetUp(writer.wrap(request.clear()), index, up);
    socket.request(
        "RTM_NEWLINK ifindex " + index + (up ? " up" : " down"), request.flip(), reply -> {});
  }

  /** Closes the socket. */
  @Override
  public void close() {
    socket.close();
  }

  private Optional<LinkInfo> getLink(String operation) throws IOException {
    LinkInfo[] found = new LinkInfo[1];
    try {
      socket.request(
          operation,
          request.flip(),
          reply -> {
            if (reply.type() == Rtnl.RTM_NEWLINK) {
              found[0] = links.decode(reply);
            }
          });
    } catch (NoSuchDeviceException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(found[0]);
  }

  private interface Dump {
    void run() throws IOException;
  }

  private static void dumpConsistently(Dump dump) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        dump.run();
        return;
      } catch (DumpInterruptedException e) {
        if (attempt == DUMP_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
