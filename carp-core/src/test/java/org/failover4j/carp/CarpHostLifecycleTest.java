package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleSource.State;
import org.failover4j.api.SourceClosedException;
import org.failover4j.api.ThreadEventLoop;
import org.failover4j.api.Timer;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.AddressListener;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/**
 * The life of a {@link CarpHost} at its edges, each case a defect a review found: a close during an
 * address FAULT, a close after a failed start, a failed start that must give its VHID back, and a
 * close that overtakes a start on its way to the loop.
 */
class CarpHostLifecycleTest {

  private static final String VIP = "192.0.2.100/24";

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 5);

  @Test
  void aHostClosedDuringAnAddressFaultTellsItsListenersItStopped() throws Exception {
    SimulatedPlatform platform = platform(lan, loop, 1);
    platform.refuseAddressChanges("EPERM (simulated)");
    CarpHost host = CarpHost.builder().platform(platform).config(config(VIP)).build();
    List<String> events = record(host);
    host.start();
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals("FAULT address-failed", events.get(events.size() - 1), events.toString());

    host.close();
    assertEquals("STOPPED shutdown", events.get(events.size() - 1), events.toString());
    assertEquals(Role.STOPPED, host.role());
  }

  @Test
  void aStartedHostAsksThePlatformToRehearseATakeoverAndAFailedStartDoesNot() throws Exception {
    FaultyPlatform platform = new FaultyPlatform(platform(lan, loop, 1), loop);
    CarpHost host = CarpHost.builder().platform(platform).config(config(VIP)).build();
    host.start();
    assertEquals(1, platform.rehearsals);
    host.close();

    FaultyPlatform refusing = new FaultyPlatform(platform(lan, loop, 2), loop);
    refusing.refuseDestinations = true;
    CarpHost failing = CarpHost.builder().platform(refusing).config(config(VIP)).build();
    assertThrows(IOException.class, failing::start);
    assertEquals(0, refusing.rehearsals);
    failing.close();
  }

  @Test
  void aFailedStartPublishesStoppedAndACloseAfterItIsQuiet() throws Exception {
    SimulatedPlatform platform = platform(lan, loop, 1);
    // The host's own address as a VIP: refused before anything is claimed.
    CarpHost host = CarpHost.builder().platform(platform).config(config("192.0.2.11/24")).build();
    List<String> events = record(host);
    assertThrows(IOException.class, host::start);
    assertEquals(State.FAILED, host.state());
    assertEquals(List.of("INITIALIZE created", "STOPPED not-started"), events);

    host.close();
    host.close();
    assertEquals(State.CLOSED, host.state());
    assertEquals(List.of("INITIALIZE created", "STOPPED not-started"), events, "one STOPPED");
  }

  @Test
  void aStartThatFailsAfterClaimingTheVhidGivesItBackAndSaysItStopped() throws Exception {
    SimulatedPlatform simulated = platform(lan, loop, 1);
    FaultyPlatform faulty = new FaultyPlatform(simulated, loop);
    faulty.refuseDestinations = true;
    CarpHost failing =
        CarpHost.builder()
            .platform(faulty)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress(VIP)
                    .unicastPeer(InetAddress.getByName("192.0.2.12"))
                    .build())
            .build();
    List<String> events = record(failing);
    IOException failure = assertThrows(IOException.class, failing::start);
    assertTrue(failure.getMessage().contains("EHOSTUNREACH"), failure.getMessage());
    assertEquals("STOPPED", events.get(events.size() - 1).split(" ")[0], events.toString());
    assertEquals(1, faulty.opened);
    assertEquals(1, faulty.closed, "the VHID claim was given back");

    // The VHID is free again: a new host claims it and serves.
    CarpHost next = CarpHost.builder().platform(simulated).config(config(VIP)).build();
    next.start();
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, next.role());
    failing.close();
    next.close();
  }

  @Test
  void aCloseThatOvertakesAStartOnItsWayToTheLoopLeavesNothingRunning() throws Exception {
    try (ThreadEventLoop threadLoop = ThreadEventLoop.start("carp-lifecycle-test")) {
      SimulatedPlatform simulated = platform(new SimulatedNetwork(threadLoop, 6), threadLoop, 1);
      FaultyPlatform gated = new FaultyPlatform(simulated, threadLoop);
      CarpHost host = CarpHost.builder().platform(gated).config(config(VIP)).build();
      // The start's hand-over to the loop is held back until the close has run.
      CountDownLatch hold = new CountDownLatch(1);
      gated.holdNextTask = hold;
      ExecutorService starter = Executors.newSingleThreadExecutor();
      try {
        Future<?> start =
            starter.submit(
                () -> {
                  host.start();
                  return null;
                });
        assertTrue(gated.taskHeld.await(5, TimeUnit.SECONDS), "the start reached the loop");
        host.close();
        hold.countDown();
        Exception refused =
            assertThrows(ExecutionException.class, () -> start.get(5, TimeUnit.SECONDS));
        assertTrue(
            refused.getCause() instanceof SourceClosedException,
            String.valueOf(refused.getCause()));
      } finally {
        starter.shutdownNow();
      }
      Thread.sleep(200);
      assertEquals(State.CLOSED, host.state());
      assertEquals(0, gated.opened - gated.closed, "no advert channel left open");
      assertEquals(0, host.statistics().advertsSent());
      assertEquals(Role.STOPPED, host.role());
    }
  }

  @Test
  void theBuilderNamesTheMissingFieldAndClosesAnOwnedPlatform() throws Exception {
    InvalidConfigurationException noConfig =
        assertThrows(
            InvalidConfigurationException.class,
            () -> CarpHost.builder().platform(platform(lan, loop, 1)).build());
    assertEquals("config", noConfig.field());
    assertEquals(
        "platform",
        assertThrows(
                InvalidConfigurationException.class,
                () -> CarpHost.builder().config(config(VIP)).build())
            .field());
    AtomicBoolean platformClosed = new AtomicBoolean();
    SimulatedPlatform owned = platform(lan, loop, 2);
    FaultyPlatform watched =
        new FaultyPlatform(owned, loop) {
          @Override
          public void close() throws IOException {
            platformClosed.set(true);
            super.close();
          }
        };
    InvalidConfigurationException timeout =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                CarpHost.builder()
                    .ownedPlatform(watched)
                    .config(config(VIP))
                    .listenerShutdownTimeout(Duration.ofMinutes(11))
                    .build());
    assertEquals("listenerShutdownTimeout", timeout.field());
    assertTrue(platformClosed.get(), "a rejected builder closes the platform it was to own");
  }

  @Test
  void aClosedHostRefusesWorkAndClosesTheOwnedPlatformOnce() throws Exception {
    AtomicBoolean platformClosed = new AtomicBoolean();
    SimulatedPlatform simulated = platform(lan, loop, 1);
    FaultyPlatform watched =
        new FaultyPlatform(simulated, loop) {
          @Override
          public void close() throws IOException {
            assertTrue(platformClosed.compareAndSet(false, true), "closed twice");
            super.close();
          }
        };
    CarpHost host = CarpHost.builder().ownedPlatform(watched).config(config(VIP)).build();
    host.start();
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, host.role());
    assertThrows(IllegalStateException.class, host::start);
    host.close(Duration.ofSeconds(1));
    host.close();
    assertTrue(platformClosed.get(), "the owned platform is closed with the host");
    assertEquals(State.CLOSED, host.state());
    assertThrows(SourceClosedException.class, host::start);
    assertThrows(SourceClosedException.class, () -> host.setDemotion(3));
    assertEquals(1, host.statistics().leavingAdvertsSent(), "left with 255/255");
  }

  private static CarpHostConfig config(String vip) {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress(vip)
        .build();
  }

  private static SimulatedPlatform platform(SimulatedNetwork lan, EventLoop loop, int n)
      throws Exception {
    return new SimulatedPlatform(loop)
        .attach("eth0", lan.addHost("h" + n, InetAddress.getByName("192.0.2." + (10 + n))));
  }

  private static List<String> record(CarpHost host) {
    List<String> events = new CopyOnWriteArrayList<>();
    host.addListener(e -> events.add(e.to() + " " + e.reason()), Runnable::run);
    return events;
  }

  /**
   * A simulated platform with two faults to inject: advert destinations the kernel refuses, and a
   * loop that holds back the next task handed to it (a thread paused on its way to the loop).
   */
  private static class FaultyPlatform implements Platform {
    private final Platform delegate;
    private final EventLoop loop;
    private final CountDownLatch taskHeld = new CountDownLatch(1);
    volatile boolean refuseDestinations;
    volatile CountDownLatch holdNextTask;
    volatile int opened;
    volatile int closed;
    volatile int rehearsals;

    FaultyPlatform(Platform delegate, EventLoop real) {
      this.delegate = delegate;
      this.loop = new GatedLoop(real);
    }

    @Override
    public EventLoop eventLoop() {
      return loop;
    }

    @Override
    public void rehearseTakeover() {
      rehearsals++;
    }

    @Override
    public InterfaceState interfaceState(String iface) throws IOException {
      return delegate.interfaceState(iface);
    }

    @Override
    public AdvertChannel openAdvertChannel(
        String iface, IpFamily family, AdvertOwner owner, AdvertSink sink) throws IOException {
      AdvertChannel channel = delegate.openAdvertChannel(iface, family, owner, sink);
      opened++;
      AtomicBoolean once = new AtomicBoolean();
      return new AdvertChannel() {
        @Override
        public AdvertOwner owner() {
          return channel.owner();
        }

        @Override
        public int addDestination(InetAddress destination, InetAddress source) throws IOException {
          if (refuseDestinations) {
            throw new IOException("connect " + destination + ": EHOSTUNREACH (simulated)");
          }
          return channel.addDestination(destination, source);
        }

        @Override
        public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
          return channel.send(packet, offset, length, destination);
        }

        @Override
        public void close() {
          if (once.compareAndSet(false, true)) {
            closed++;
          }
          channel.close();
        }
      };
    }

    @Override
    public Map<AdvertDropReason, Long> advertDrops() {
      return delegate.advertDrops();
    }

    @Override
    public void addAddress(String iface, InetAddress address, int prefixLength) throws IOException {
      delegate.addAddress(iface, address, prefixLength);
    }

    @Override
    public void removeAddress(String iface, InetAddress address, int prefixLength)
        throws IOException {
      delegate.removeAddress(iface, address, prefixLength);
    }

    @Override
    public void announce(String iface, InetAddress address, byte[] mac) throws IOException {
      delegate.announce(iface, address, mac);
    }

    @Override
    public InterfaceState createVirtualMac(String name, String parent, byte[] mac)
        throws IOException {
      return delegate.createVirtualMac(name, parent, mac);
    }

    @Override
    public void deleteVirtualMac(String name) throws IOException {
      delegate.deleteVirtualMac(name);
    }

    @Override
    public Closeable watchLinks(LinkStateListener listener) throws IOException {
      return delegate.watchLinks(listener);
    }

    @Override
    public Closeable watchAddresses(AddressListener listener) throws IOException {
      return delegate.watchAddresses(listener);
    }

    @Override
    public java.util.concurrent.Executor checkExecutor() {
      return delegate.checkExecutor();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }

    /** The real loop, but the next task handed over from outside waits for {@code holdNextTask}. */
    private final class GatedLoop implements EventLoop {
      private final EventLoop real;

      GatedLoop(EventLoop real) {
        this.real = real;
      }

      @Override
      public long nanoTime() {
        return real.nanoTime();
      }

      @Override
      public Instant now() {
        return real.now();
      }

      @Override
      public Timer newTimer(Runnable action) {
        return real.newTimer(action);
      }

      @Override
      public void execute(Runnable task) {
        CountDownLatch hold = holdNextTask;
        if (hold != null && !real.inEventLoop()) {
          holdNextTask = null;
          taskHeld.countDown();
          try {
            hold.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        real.execute(task);
      }

      @Override
      public boolean inEventLoop() {
        return real.inEventLoop();
      }
    }
  }
}
