package org.failover4j.vrrp;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VRRP router: any number of instances and sync groups on one event loop, as one keepalived
 * process runs them. Set it up with {@link #builder()}, {@link #start()} it, follow its instances
 * with listeners, and {@link #close()} it to leave gracefully (priority 0 from every master,
 * virtual addresses removed).
 *
 * <pre>{@code
 * try (VrrpRouter router = VrrpRouter.builder()
 *         .ownedPlatform(NetlinkPlatform.open())
 *         .instance(VrrpInstanceConfig.builder("VI_1").iface("eth0").vrid(51)
 *             .priority(150).virtualAddress("192.0.2.100/24").build())
 *         .build()) {
 *   router.instance("VI_1").addListener(myListener);
 *   router.start();
 *   ...
 * }
 * }</pre>
 *
 * All public methods are thread-safe; the work happens on the platform's event loop.
 */
public final class VrrpRouter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VrrpRouter.class);

  private final Platform platform;
  private final boolean ownsPlatform;
  private final Duration listenerShutdownTimeout;
  private final boolean rehearse;
  private final List<VrrpInstanceConfig> configs;
  private final EventLoop loop;
  private final Map<String, InstanceEngine> instances = new LinkedHashMap<>();
  private final Map<String, SyncGroupHandle> groups = new LinkedHashMap<>();
  private final List<String> virtualMacs = new ArrayList<>();
  private Closeable linkWatch;
  private Closeable addressWatch;
  private boolean started;
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();

  private VrrpRouter(Builder b) {
    this.platform = b.platform;
    this.ownsPlatform = b.ownsPlatform;
    this.listenerShutdownTimeout = b.listenerShutdownTimeout;
    this.rehearse = b.rehearse;
    this.configs = List.copyOf(b.instances);
    this.loop = platform.eventLoop();
    for (VrrpInstanceConfig config : b.instances) {
      instances.put(config.name(), new InstanceEngine(config, platform));
    }
    b.groups.forEach((name, members) -> groups.put(name, new SyncGroupHandle(name, members, loop)));
  }

  /** Starts a router configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens sockets, creates virtual MACs, and starts every instance (the owner as master, the others
   * as backups), after a rehearsal (see {@link Builder#rehearse}). Fails, leaving nothing behind,
   * when an interface or socket is missing.
   */
  public void start() throws IOException {
    if (rehearse && !(platform instanceof SimulatedPlatform)) {
      Rehearsal.run(new ArrayList<>(configs));
    }
    onLoop(
        () -> {
          if (started) {
            throw new IllegalStateException("already started");
          }
          started = true;
          try {
            openEverything();
          } catch (IOException | RuntimeException e) {
            // Nothing was announced yet, but virtual MACs may exist already: take them away.
            release(false, true);
            throw e;
          }
          for (InstanceEngine engine : instances.values()) {
            engine.start();
          }
          return null;
        });
  }

  private void openEverything() throws IOException {
    linkWatch = platform.watchLinks(this::linkChanged);
    addressWatch = platform.watchAddresses(this::addressRemoved);
    for (InstanceEngine engine : instances.values()) {
      VrrpInstanceConfig config = engine.config();
      InterfaceState base = platform.interfaceState(config.iface());
      InterfaceState advertIface = base;
      if (config.virtualMac()) {
        String name = "vrrp." + config.vrid();
        if (virtualMacs.contains(name)) {
          throw new IOException("two virtual-MAC instances would both be " + name);
        }
        advertIface = platform.createVirtualMac(name, base.name(), virtualMac(config));
        virtualMacs.add(name);
      }
      engine.open(advertIface, base);
    }
    groups.forEach(
        (name, handle) -> {
          for (String member : handle.members()) {
            handle.group().add(instances.get(member).machine());
          }
        });
  }

  /** The RFC 5798 virtual MAC: 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6. */
  static byte[] virtualMac(VrrpInstanceConfig config) {
    return new byte[] {
      0x00, 0x00, 0x5e, 0x00, (byte) (config.isIpv6() ? 2 : 1), (byte) config.vrid()
    };
  }

  private void addressRemoved(String iface, java.net.InetAddress address, int prefixLength) {
    for (InstanceEngine engine : instances.values()) {
      engine.addressRemoved(iface, address, prefixLength);
    }
  }

  private void linkChanged(String iface, boolean up) {
    for (InstanceEngine engine : instances.values()) {
      engine.linkChanged(iface, up);
    }
  }

  /** The instance named {@code name}. */
  public VrrpInstance instance(String name) {
    VrrpInstance instance = instances.get(name);
    if (instance == null) {
      throw new IllegalArgumentException("no instance named " + name);
    }
    return instance;
  }

  /** Every instance, in configuration order. */
  public Collection<VrrpInstance> instances() {
    return List.copyOf(instances.values());
  }

  /** The sync group named {@code name}. */
  public VrrpSyncGroup syncGroup(String name) {
    VrrpSyncGroup group = groups.get(name);
    if (group == null) {
      throw new IllegalArgumentException("no sync group named " + name);
    }
    return group;
  }

  /**
   * What the platform's shared advert sockets dropped before any instance saw it (malformed, or for
   * a VRID or VHID nobody here runs) or could not send, per reason.
   */
  public Map<AdvertDropReason, Long> unclaimedDrops() {
    return platform.advertDrops();
  }

  /** The platform the router runs on. */
  public Platform platform() {
    return platform;
  }

  /**
   * Leaves gracefully: every master sends priority 0 so a backup takes over at once, virtual
   * addresses and MACs are removed, listeners get {@code stopped}.
   */
  @Override
  public void close() {
    closeWith(true);
  }

  /**
   * Stops without a word: no priority 0 and the virtual addresses stay where they are. For a
   * process that restarts quickly and must not disturb traffic (keepalived's {@code
   * --dont-release-vrrp}), and for simulating a crash.
   */
  public void closeAbruptly() {
    closeWith(false);
  }

  /**
   * As {@link #close()}, waiting at most {@code listenerTimeout} (instead of the builder's {@link
   * Builder#listenerShutdownTimeout}) for listeners to handle the final events.
   */
  public void close(Duration listenerTimeout) {
    closeWith(true, listenerTimeout);
  }

  private void closeWith(boolean graceful) {
    closeWith(graceful, listenerShutdownTimeout);
  }

  private void closeWith(boolean graceful, Duration listenerTimeout) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      onLoop(
          () -> {
            release(graceful, graceful);
            return null;
          });
      awaitListeners(listenerTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (ownsPlatform) {
        try {
          platform.close();
        } catch (IOException e) {
          log.warn("closing the platform failed: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Waits, bounded, until every listener has handled the final events, so that cleanup in {@code
   * stopped()} finishes before close returns, also in a shutdown hook.
   */
  private void awaitListeners(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<RolePublisher> publishers = new ArrayList<>();
    instances.values().forEach(e -> publishers.add(e.publisher()));
    groups.values().forEach(g -> publishers.add(g.publisher()));
    try {
      for (RolePublisher p : publishers) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!p.awaitListeners(left)) {
          log.warn(
              "listeners of {} still busy after {} ms; closing without them",
              p.current().source(),
              timeout.toMillis());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void release(boolean graceful, boolean removeVirtualMacs) {
    if (closed) {
      return;
    }
    closed = true;
    for (SyncGroupHandle handle : groups.values()) {
      if (graceful && started) {
        handle.group().shutdown(loop.nanoTime());
      } else {
        handle.abandon(loop.now());
      }
    }
    for (InstanceEngine engine : instances.values()) {
      engine.shutdown(graceful);
    }
    if (removeVirtualMacs) {
      for (String vmac : virtualMacs) {
        closeQuietly(() -> platform.deleteVirtualMac(vmac));
      }
    }
    if (linkWatch != null) {
      closeQuietly(linkWatch::close);
    }
    if (addressWatch != null) {
      closeQuietly(addressWatch::close);
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void closeQuietly(IoAction action) {
    try {
      action.run();
    } catch (IOException | RuntimeException e) {
      log.warn("cleanup step failed: {}", e.toString());
    }
  }

  private interface LoopTask<T> {
    T call() throws IOException;
  }

  /** Runs {@code task} on the loop and waits, or runs it here when this is the loop's thread. */
  private <T> T onLoop(LoopTask<T> task) throws IOException {
    if (loop.inEventLoop()) {
      return task.call();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the event loop", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  /** Builds a {@link VrrpRouter}. */
  public static final class Builder {
    private Platform platform;
    private boolean ownsPlatform;
    private Duration listenerShutdownTimeout = Duration.ofSeconds(5);
    private boolean rehearse = true;
    private final List<VrrpInstanceConfig> instances = new ArrayList<>();
    private final Map<String, List<String>> groups = new LinkedHashMap<>();

    private Builder() {}

    /** The machine to run on; the caller keeps ownership and closes it after the router. */
    public Builder platform(Platform value) {
      this.platform = Objects.requireNonNull(value, "platform");
      this.ownsPlatform = false;
      return this;
    }

    /** As {@link #platform}, but the router closes the platform when it closes. */
    public Builder ownedPlatform(Platform value) {
      platform(value);
      this.ownsPlatform = true;
      return this;
    }

    /**
     * How long {@link VrrpRouter#close()} waits for listeners to handle the final events (their
     * {@code stopped()} cleanup); 0..10 min, default 5 s.
     */
    public Builder listenerShutdownTimeout(Duration timeout) {
      this.listenerShutdownTimeout = timeout;
      return this;
    }

    /**
     * Whether {@link VrrpRouter#start()} first plays one takeover on a simulated LAN (default true,
     * skipped on a {@link SimulatedPlatform}), so that the first real takeover runs warm code.
     */
    public Builder rehearse(boolean enabled) {
      this.rehearse = enabled;
      return this;
    }

    /** Adds an instance. */
    public Builder instance(VrrpInstanceConfig config) {
      instances.add(Objects.requireNonNull(config, "config"));
      return this;
    }

    /** Adds a sync group of the named instances (keepalived's {@code vrrp_sync_group}). */
    public Builder syncGroup(String name, String... members) {
      groups.put(name, List.of(members));
      return this;
    }

    /** Validates the set of instances and groups and builds the router (not yet started). */
    public VrrpRouter build() {
      InvalidConfigurationException.requirePresent("platform", platform);
      if (listenerShutdownTimeout == null
          || listenerShutdownTimeout.isNegative()
          || listenerShutdownTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new InvalidConfigurationException(
            "listenerShutdownTimeout", "must be in 0..10 min, was " + listenerShutdownTimeout);
      }
      if (instances.isEmpty()) {
        throw new InvalidConfigurationException("instance", "at least one is required");
      }
      Map<String, String> groupOf = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      for (VrrpInstanceConfig c : instances) {
        if (names.contains(c.name())) {
          throw new InvalidConfigurationException("instance", "duplicate name " + c.name());
        }
        names.add(c.name());
      }
      groups.forEach(
          (group, members) -> {
            if (members.size() < 2) {
              throw new InvalidConfigurationException(
                  "syncGroup " + group, "needs at least two members");
            }
            for (String m : members) {
              if (!names.contains(m)) {
                throw new InvalidConfigurationException(
                    "syncGroup " + group, "no instance named " + m);
              }
              String earlier = groupOf.put(m, group);
              if (earlier != null) {
                throw new InvalidConfigurationException(
                    "syncGroup " + group, m + " is already in sync group " + earlier);
              }
            }
          });
      return new VrrpRouter(this);
    }
  }
}
