package org.failover4j.netlink;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;

/**
 * A send-only {@code AF_PACKET} socket on one interface: it sends whole Ethernet frames, source MAC
 * included, which is how a VRRP or CARP master announces its addresses from the virtual MAC
 * (gratuitous ARP, unsolicited neighbour advertisements). It joins no protocol, so it never
 * receives. Needs CAP_NET_RAW; belongs to the namespace of the thread that opened it. Methods are
 * safe to call from several threads.
 */
public final class PacketSocket extends NativeSocket {

  private static final int MIN_FRAME = 14;
  private static final int MAX_FRAME = 65_535;
  private static final int ETH_TYPE = 12;

  private final int ifindex;
  private final ByteBuffer sll = LibC.allocate(LibC.SOCKADDR_LL_SIZE);
  private final long sllAddress = LibC.address(sll);
  private final ByteBuffer frame = LibC.allocate(MAX_FRAME);
  private final long frameAddress = LibC.address(frame);
  private final DirectAddress callerFrame = new DirectAddress();

  private PacketSocket(int fd, int ifindex) {
    super(fd, "packet socket on ifindex " + ifindex);
    this.ifindex = ifindex;
    // Family, interface and address length never change; each send fills in the rest.
    ByteAccess.putHost16(sll, 0, LibC.AF_PACKET);
    ByteAccess.putHost32(sll, LibC.SOCKADDR_LL_IFINDEX, ifindex);
    sll.put(LibC.SOCKADDR_LL_HALEN, (byte) MacAddress.LENGTH);
  }

  /**
   * Opens a socket that sends out of interface {@code ifindex}.
   *
   * @param ifindex the interface index
   * @return the socket
   * @throws IOException when the socket cannot be opened or the kernel refuses the send
   */
  public static PacketSocket open(int ifindex) throws IOException {
    if (ifindex <= 0) {
      throw new IllegalArgumentException("ifindex must be positive, was " + ifindex);
    }
    return new PacketSocket(
        open(LibC.AF_PACKET, LibC.SOCK_RAW, 0, "AF_PACKET on ifindex " + ifindex), ifindex);
  }

  /** {@return the interface frames go out of} */
  public int ifindex() {
    return ifindex;
  }

  /**
   * Sends the {@code ethernetFrame} buffer's remaining bytes (destination MAC, source MAC,
   * ethertype, payload) and moves its position to its limit.
   *
   * @param ethernetFrame the frame, between position and limit
   * @return the bytes sent, or 0 when the socket's send buffer is full
   * @throws IOException when the socket cannot be opened or the kernel refuses the send
   */
  public synchronized int send(ByteBuffer ethernetFrame) throws IOException {
    int length = ethernetFrame.remaining();
    if (length < MIN_FRAME || length > MAX_FRAME) {
      throw new IllegalArgumentException("an Ethernet frame has 14..65535 bytes, got " + length);
    }
    long from;
    if (ethernetFrame.isDirect()) {
      from = callerFrame.of(ethernetFrame) + ethernetFrame.position();
    } else {
      frame.put(0, ethernetFrame, ethernetFrame.position(), length);
      from = frameAddress;
    }
    int sent = sendFrame(from, ethernetFrame, ethernetFrame.position(), length);
    if (sent > 0) {
      ethernetFrame.position(ethernetFrame.limit());
    }
    return sent;
  }

  /**
   * Sends a {@link GratuitousArp} for {@code address} from {@code mac}.
   *
   * @param mac the sender's hardware address
   * @param address the address announced
   * @param operation request or reply
   * @return the number of bytes sent
   * @throws IOException when the socket cannot be opened or the kernel refuses the send
   */
  public synchronized int sendGratuitousArp(
      MacAddress mac, Inet4Address address, ArpOperation operation) throws IOException {
    int length = GratuitousArp.write(frame, 0, mac, address.getAddress(), operation);
    return sendFrame(frameAddress, frame, 0, length);
  }

  /**
   * Sends an {@link UnsolicitedNeighborAdvertisement} for {@code address} from {@code mac}.
   *
   * @param mac the sender's hardware address
   * @param address the address announced
   * @param router the advertisement's router flag
   * @return the number of bytes sent
   * @throws IOException when the socket cannot be opened or the kernel refuses the send
   */
  public synchronized int sendUnsolicitedNeighborAdvertisement(
      MacAddress mac, Inet6Address address, boolean router) throws IOException {
    int length =
        UnsolicitedNeighborAdvertisement.write(frame, 0, mac, address.getAddress(), router);
    return sendFrame(frameAddress, frame, 0, length);
  }

  private int sendFrame(long from, ByteBuffer source, int offset, int length) throws IOException {
    int fd = requireOpen();
    ByteAccess.put16(sll, LibC.SOCKADDR_LL_PROTOCOL, ByteAccess.getU16(source, offset + ETH_TYPE));
    for (int i = 0; i < MacAddress.LENGTH; i++) {
      sll.put(LibC.SOCKADDR_LL_ADDR + i, source.get(offset + i));
    }
    while (true) {
      long n = LibC.sendto(fd, from, length, 0, sllAddress, LibC.SOCKADDR_LL_SIZE);
      if (n >= 0) {
        return (int) n;
      }
      int errno = Native.getLastError();
      if (errno == Errno.EAGAIN.number()) {
        return 0;
      }
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("sendto(" + name() + ")", errno);
      }
    }
  }
}
