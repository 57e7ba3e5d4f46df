package org.failover4j.api.sim;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;

/**
 * One simulated LAN segment. Every frame a host sends is delivered, per receiver, after a random
 * delay in [min, max], unless it is lost (probability {@link #setLoss}), blocked by a partition, or
 * the sender or receiver is crashed; it may be delivered twice ({@link #setDuplication}). Random
 * choices come from one seeded generator, so a scenario replays exactly from its seed.
 *
 * <p>Use from the loop's thread only (under virtual time: the test thread).
 */
public final class SimulatedNetwork {

  private final EventLoop loop;
  private final Random random;
  private final List<SimulatedHost> hosts = new ArrayList<>();
  private final Set<List<SimulatedHost>> blocked = new HashSet<>();
  private double loss;
  private double duplication;
  private long minDelayNanos;
  private long maxDelayNanos;
  private long sent;
  private long delivered;
  private long dropped;

  /**
   * A segment whose deliveries run on {@code loop}, with randomness from {@code seed}.
   *
   * @param loop the event loop that runs every delivery
   * @param seed the seed of the loss, duplication and delay choices
   */
  public SimulatedNetwork(EventLoop loop, long seed) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.random = new Random(seed);
    setDelay(Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /**
   * Attaches a host with {@code address}.
   *
   * @param name the host's name, for logs
   * @param address its address on the segment
   * @return the new host
   */
  public SimulatedHost addHost(String name, InetAddress address) {
    SimulatedHost host = new SimulatedHost(this, name, address);
    hosts.add(host);
    return host;
  }

  /** {@return the attached hosts} */
  public List<SimulatedHost> hosts() {
    return List.copyOf(hosts);
  }

  /**
   * Loses each delivery with probability {@code probability} (0..1).
   *
   * @param probability the probability, 0..1
   */
  public void setLoss(double probability) {
    this.loss = probability(probability, "loss");
  }

  /**
   * Delivers each frame twice with probability {@code probability} (0..1).
   *
   * @param probability the probability, 0..1
   */
  public void setDuplication(double probability) {
    this.duplication = probability(probability, "duplication");
  }

  /**
   * Delays each delivery uniformly between {@code min} and {@code max}.
   *
   * @param min the shortest delay
   * @param max the longest delay
   */
  public void setDelay(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min <= max, was " + min + ", " + max);
    }
    this.minDelayNanos = min.toNanos();
    this.maxDelayNanos = max.toNanos();
  }

  /**
   * Stops all frames between the hosts of {@code side} and those of {@code other}.
   *
   * @param side the hosts on one side
   * @param other the hosts on the other side
   */
  public void partition(Collection<SimulatedHost> side, Collection<SimulatedHost> other) {
    for (SimulatedHost a : side) {
      for (SimulatedHost b : other) {
        blocked.add(List.of(a, b));
        blocked.add(List.of(b, a));
      }
    }
  }

  /** Removes every partition. */
  public void heal() {
    blocked.clear();
  }

  /**
   * Frames sent by hosts that were up.
   *
   * @return the count
   */
  public long framesSent() {
    return sent;
  }

  /**
   * Deliveries that reached a receiver (duplicates count twice).
   *
   * @return the count
   */
  public long framesDelivered() {
    return delivered;
  }

  /**
   * Deliveries lost, blocked or addressed to a crashed host.
   *
   * @return the count
   */
  public long framesDropped() {
    return dropped;
  }

  void send(SimulatedHost from, InetAddress destination, byte[] payload) {
    if (!from.isUp()) {
      return;
    }
    sent++;
    boolean multicast = destination.isMulticastAddress();
    for (SimulatedHost to : hosts) {
      if (to == from || (!multicast && !to.address().equals(destination))) {
        continue;
      }
      if (blocked.contains(List.of(from, to)) || random.nextDouble() < loss) {
        dropped++;
        continue;
      }
      int copies = random.nextDouble() < duplication ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        schedule(
            to, new SimulatedFrame(from.address(), destination, ByteBuffer.wrap(payload.clone())));
      }
    }
  }

  private void schedule(SimulatedHost to, SimulatedFrame frame) {
    long span = maxDelayNanos - minDelayNanos;
    long delay = minDelayNanos + (span == 0 ? 0 : (long) (random.nextDouble() * span));
    Timer[] timer = new Timer[1];
    timer[0] =
        loop.newTimer(
            () -> {
              if (to.isUp()) {
                delivered++;
                to.deliver(frame);
              } else {
                dropped++;
              }
            });
    timer[0].scheduleAfter(delay);
  }

  private static double probability(double p, String what) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " must be in 0..1, was " + p);
    }
    return p;
  }
}
