package org.failover4j.api.sim;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import org.failover4j.api.AddressText;

/** A host's attachment to a {@link SimulatedNetwork}: one address, one receiver. */
public final class SimulatedHost {

  private final SimulatedNetwork network;
  private final String name;
  private final InetAddress address;
  private Consumer<SimulatedFrame> receiver = frame -> {};
  private boolean up = true;

  SimulatedHost(SimulatedNetwork network, String name, InetAddress address) {
    this.network = network;
    this.name = name;
    this.address = address;
  }

  /** {@return the host's name} */
  public String name() {
    return name;
  }

  /** {@return the host's address on this segment} */
  public InetAddress address() {
    return address;
  }

  /**
   * Sets who receives frames addressed to this host or to a multicast group.
   *
   * @param newReceiver called with each frame, on the network's loop
   */
  public void onReceive(Consumer<SimulatedFrame> newReceiver) {
    this.receiver = Objects.requireNonNull(newReceiver, "receiver");
  }

  /**
   * Sends the remaining bytes of {@code payload} (copied; the buffer is not consumed) to {@code
   * destination}: a multicast address reaches every other host, a unicast one the host that has it.
   * Nothing leaves a crashed host.
   *
   * @param destination a unicast or multicast address
   * @param payload the bytes to send
   */
  public void send(InetAddress destination, ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    network.send(this, destination, bytes);
  }

  /** Crashes the host: it stops sending and receiving, and frames in flight to it are lost. */
  public void crash() {
    up = false;
  }

  /** Brings a crashed host back. */
  public void restart() {
    up = true;
  }

  /** {@return false while crashed} */
  public boolean isUp() {
    return up;
  }

  void deliver(SimulatedFrame frame) {
    if (up) {
      receiver.accept(frame);
    }
  }

  @Override
  public String toString() {
    return name + " (" + AddressText.of(address) + (up ? "" : ", crashed") + ")";
  }
}
