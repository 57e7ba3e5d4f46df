package org.failover4j.vrrp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.LoopCall;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.RoleSource;
import org.failover4j.api.SourceLifecycle;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.PlatformOwnership;
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
public final class VrrpRouter implements RoleSource {

  private static final Logger log = LoggerFactory.getLogger(VrrpRouter.class);

  private final Platform platform;
  private final PlatformOwnership ownership;
  private final Duration listenerShutdownTimeout;
  private final boolean rehearse;
  private final EventLoop loop;

  /** Replaced, never changed in place, on the loop: any thread reads a consistent snapshot. */
  private volatile Map<String, InstanceEngine> instances = Map.of();

  private volatile Map<String, SyncGroupHandle> groups = Map.of();
  private boolean started;
  private boolean released;
  private final SourceLifecycle life = new SourceLifecycle("the router");

  private VrrpRouter(Builder b) {
    this.platform = b.platform;
    this.ownership = new PlatformOwnership(b.platform, b.ownsPlatform);
    this.listenerShutdownTimeout = b.listenerShutdownTimeout;
    this.rehearse = b.rehearse;
    this.loop = platform.eventLoop();
    for (VrrpInstanceConfig config : b.instances) {
      instances = with(instances, config.name(), new InstanceEngine(config, platform));
    }
    b.groups.forEach(
        (name, members) ->
            groups = with(groups, name, new SyncGroupHandle(name, members, platform)));
  }

  /**
   * Starts a router configuration.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens sockets, creates virtual MACs, and starts every instance (the owner as master, the others
   * as backups), then rehearses (see {@link Builder#rehearse}) before it returns. Fails, leaving
   * nothing behind, when an interface or socket is missing.
   *
   * @throws IOException when a socket, virtual MAC or interface cannot be opened; the router is
   *     then FAILED
   * @throws org.failover4j.api.SourceClosedException when the router was closed, also by a close
   *     that came while this start waited for the loop
   */
  @Override
  public void start() throws IOException {
    life.requireNew();
    onLoop(
        () -> {
          // A close that came while this start waited for the loop wins: it set CLOSED first.
          life.requireNotClosed();
          if (started) {
            throw new IllegalStateException("the router is already started");
          }
          started = true;
          try {
            openEverything();
          } catch (IOException | RuntimeException e) {
            // Nothing was announced yet, but virtual MACs may exist already: take them away.
            life.markFailed(e);
            release(false, true);
            throw e;
          }
          life.requireNotClosed(); // the close queued behind this start releases what it opened
          for (InstanceEngine engine : instances.values()) {
            engine.start();
          }
          life.markStarted();
          return null;
        });
    // After the start, so that an owner's first advert waits for nothing; a backup cannot take over
    // before a Master_Down_Interval (three adverts and the skew), and rehearses meanwhile.
    if (rehearse && !(platform instanceof SimulatedPlatform)) {
      Rehearsal.run(configs());
      platform.rehearseTakeover();
    }
  }

  /** {@return where the router is in its life: new, started, failed or closed} */
  @Override
  public State state() {
    return life.state();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The router's own drops are those of the shared advert sockets that no instance claimed; each
   * instance's counters are in {@link VrrpRouterStatistics#instances()}.
   */
  @Override
  public VrrpRouterStatistics statistics() {
    Map<String, VrrpStatistics> each = new LinkedHashMap<>();
    instances.values().forEach(e -> each.put(e.name(), e.statistics()));
    return new VrrpRouterStatistics(each, platform.advertDrops());
  }

  private void openEverything() throws IOException {
    for (InstanceEngine engine : instances.values()) {
      engine.open();
    }
    groups.values().forEach(this::joinMembers);
  }

  private void joinMembers(SyncGroupHandle handle) {
    for (String member : handle.members()) {
      handle.group().add(instances.get(member).machine());
    }
  }

  // ---- changes at run time, as keepalived's reload keeps the instances it does not touch --------

  /**
   * Adds an instance; on a started router it joins the election at once, and no other instance is
   * disturbed. To change an instance's virtual addresses or any other setting, remove it and add
   * the new configuration.
   *
   * @param config the new instance's configuration
   * @return the running instance
   * @throws IOException when its socket, virtual MAC or interface cannot be opened
   * @throws org.failover4j.api.InvalidConfigurationException when its name, or its VRID, version,
   *     family and interface, are taken
   */
  public VrrpInstance addInstance(VrrpInstanceConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    requireNotClosed();
    return onLoop(
        () -> {
          requireNotClosed();
          List<VrrpInstanceConfig> all = configs();
          all.add(config);
          Builder.checkInstances(all);
          InstanceEngine engine = new InstanceEngine(config, platform);
          if (life.state() == State.STARTED) {
            openOrRelease(List.of(engine));
            engine.start();
          }
          instances = with(instances, config.name(), engine);
          return engine;
        });
  }

  /**
   * Removes an instance gracefully (priority 0 if it is master, addresses and virtual MAC removed,
   * its listeners get {@code stopped} and are waited for), leaving the others undisturbed.
   *
   * @param name the instance's name
   * @throws IOException when the kernel refuses to remove its addresses or virtual MAC
   * @throws IllegalStateException when it belongs to a sync group (remove the group instead)
   */
  public void removeInstance(String name) throws IOException {
    requireNotClosed();
    InstanceEngine engine =
        onLoopToTheEnd(
            () -> {
              requireNotClosed();
              InstanceEngine e = engine(name);
              for (SyncGroupHandle g : groups.values()) {
                if (g.members().contains(name)) {
                  throw new IllegalStateException(
                      name + " is in sync group " + g.name() + ": remove the group instead");
                }
              }
              retire(e);
              return e;
            });
    awaitListeners(List.of(engine.publisher()), listenerShutdownTimeout);
  }

  /**
   * Adds a sync group together with its new member instances (a group's members start together),
   * leaving the other instances undisturbed.
   *
   * @param name the group's name
   * @param members the configurations of its instances, all new
   * @return the running group
   * @throws IOException when a member's socket, virtual MAC or interface cannot be opened
   */
  public VrrpSyncGroup addSyncGroup(String name, VrrpInstanceConfig... members) throws IOException {
    requireNotClosed();
    return onLoop(
        () -> {
          requireNotClosed();
          List<VrrpInstanceConfig> all = configs();
          List<String> names = new ArrayList<>();
          for (VrrpInstanceConfig m : members) {
            all.add(m);
            names.add(m.name());
          }
          Builder.checkInstances(all);
          Map<String, List<String>> allGroups = new LinkedHashMap<>();
          groups.values().forEach(g -> allGroups.put(g.name(), g.members()));
          if (allGroups.put(name, names) != null) {
            throw new InvalidConfigurationException("syncGroup " + name, "already exists");
          }
          Builder.checkGroups(allGroups, all);
          List<InstanceEngine> engines = new ArrayList<>();
          for (VrrpInstanceConfig m : members) {
            engines.add(new InstanceEngine(m, platform));
          }
          if (life.state() == State.STARTED) {
            openOrRelease(engines);
          }
          // Published only once every member opened: a half-added group never sees events.
          for (InstanceEngine engine : engines) {
            instances = with(instances, engine.name(), engine);
          }
          SyncGroupHandle handle = new SyncGroupHandle(name, names, platform);
          groups = with(groups, name, handle);
          if (life.state() == State.STARTED) {
            joinMembers(handle);
            engines.forEach(InstanceEngine::start);
          }
          return handle;
        });
  }

  /**
   * Removes a sync group and its member instances gracefully; the others are undisturbed.
   *
   * @param name the group's name
   * @throws IOException when the kernel refuses to remove a member's addresses or virtual MAC
   */
  public void removeSyncGroup(String name) throws IOException {
    requireNotClosed();
    List<RolePublisher> publishers =
        onLoopToTheEnd(
            () -> {
              requireNotClosed();
              SyncGroupHandle handle = groups.get(name);
              if (handle == null) {
                throw new IllegalArgumentException("no sync group named " + name);
              }
              List<RolePublisher> heard = new ArrayList<>(List.of(handle.publisher()));
              if (life.state() == State.STARTED) {
                handle.group().shutdown(loop.nanoTime());
              } else {
                handle.abandon(loop.now());
              }
              for (String member : handle.members()) {
                InstanceEngine e = engine(member);
                retire(e);
                heard.add(e.publisher());
              }
              groups = without(groups, name);
              return heard;
            });
    awaitListeners(publishers, listenerShutdownTimeout);
  }

  /**
   * Opens new engines on a running router; when one fails, those already opened release their
   * claims and virtual MACs and the failure is rethrown.
   */
  private void openOrRelease(List<InstanceEngine> engines) throws IOException {
    List<InstanceEngine> opened = new ArrayList<>();
    try {
      for (InstanceEngine engine : engines) {
        opened.add(engine);
        engine.open();
      }
    } catch (IOException | RuntimeException e) {
      for (InstanceEngine engine : opened) {
        engine.shutdown(false);
        engine.deleteVirtualMac();
      }
      throw e;
    }
  }

  /** Shuts one instance down gracefully and forgets it; on the loop. */
  private void retire(InstanceEngine engine) {
    engine.shutdown(true);
    engine.deleteVirtualMac();
    instances = without(instances, engine.name());
  }

  private InstanceEngine engine(String name) {
    InstanceEngine e = instances.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no instance named " + name);
    }
    return e;
  }

  private List<VrrpInstanceConfig> configs() {
    List<VrrpInstanceConfig> all = new ArrayList<>();
    instances.values().forEach(e -> all.add(e.config()));
    return all;
  }

  private void requireNotClosed() {
    life.requireNotClosed();
    if (life.state() == State.FAILED) {
      throw new IllegalStateException("the router failed to start; close it and build a new one");
    }
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    Map<String, V> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static <V> Map<String, V> without(Map<String, V> map, String key) {
    Map<String, V> copy = new LinkedHashMap<>(map);
    copy.remove(key);
    return java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * {@return the instance named {@code name}}
   *
   * @param name the instance's or group's name
   */
  public VrrpInstance instance(String name) {
    VrrpInstance instance = instances.get(name);
    if (instance == null) {
      throw new IllegalArgumentException("no instance named " + name);
    }
    return instance;
  }

  /** {@return every instance, in configuration order} */
  public Collection<VrrpInstance> instances() {
    return List.copyOf(instances.values());
  }

  /**
   * {@return the sync group named {@code name}}
   *
   * @param name the instance's or group's name
   */
  public VrrpSyncGroup syncGroup(String name) {
    VrrpSyncGroup group = groups.get(name);
    if (group == null) {
      throw new IllegalArgumentException("no sync group named " + name);
    }
    return group;
  }

  /** {@return the platform the router runs on} */
  public Platform platform() {
    return platform;
  }

  /**
   * Leaves gracefully: every master sends priority 0 so a backup takes over at once, virtual
   * addresses and MACs are removed, listeners get {@code stopped} and are waited for (at most the
   * builder's {@link Builder#listenerShutdownTimeout}).
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
   *
   * @param listenerTimeout how long to wait for listeners at most
   */
  @Override
  public void close(Duration listenerTimeout) {
    closeWith(true, listenerTimeout);
  }

  private void closeWith(boolean graceful) {
    closeWith(graceful, listenerShutdownTimeout);
  }

  private void closeWith(boolean graceful, Duration listenerTimeout) {
    if (!life.close()) {
      return;
    }
    try {
      // An interrupted caller must not leave the addresses behind without a priority 0.
      onLoopToTheEnd(
          () -> {
            release(graceful, graceful);
            return null;
          });
      awaitListeners(listenerTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ownership.closeWithSource(log, "router");
    }
  }

  /**
   * Waits, bounded, until every listener has handled the final events, so that cleanup in {@code
   * stopped()} finishes before close returns, also in a shutdown hook.
   */
  private void awaitListeners(Duration timeout) {
    List<RolePublisher> publishers = new ArrayList<>();
    instances.values().forEach(e -> publishers.add(e.publisher()));
    groups.values().forEach(g -> publishers.add(g.publisher()));
    awaitListeners(publishers, timeout);
  }

  private static void awaitListeners(List<RolePublisher> publishers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
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
    if (released) {
      return;
    }
    released = true;
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
      instances.values().forEach(InstanceEngine::deleteVirtualMac);
    }
  }

  /** Runs {@code task} on the loop and waits, or runs it here when this is the loop's thread. */
  private <T> T onLoop(LoopCall.Task<T> task) throws IOException {
    return onLoop(task, true);
  }

  /** As {@link #onLoop(LoopCall.Task)}, waiting through interrupts: for leaving gracefully. */
  private <T> T onLoopToTheEnd(LoopCall.Task<T> task) throws IOException {
    return onLoop(task, false);
  }

  private <T> T onLoop(LoopCall.Task<T> task, boolean interruptible) throws IOException {
    try {
      return interruptible ? LoopCall.call(loop, task) : LoopCall.callUninterruptibly(loop, task);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof java.util.concurrent.RejectedExecutionException) {
        throw new IllegalStateException("the router's event loop is closed", e);
      }
      throw e;
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

    /**
     * The machine to run on; the caller keeps ownership and closes it after the router.
     *
     * @param value the platform
     * @return this builder
     */
    public Builder platform(Platform value) {
      this.platform = Objects.requireNonNull(value, "platform");
      this.ownsPlatform = false;
      return this;
    }

    /**
     * As {@link #platform}, but the router closes the platform when it closes.
     *
     * @param value the platform
     * @return this builder
     */
    public Builder ownedPlatform(Platform value) {
      platform(value);
      this.ownsPlatform = true;
      return this;
    }

    /**
     * How long {@link VrrpRouter#close()} waits for listeners to handle the final events (their
     * {@code stopped()} cleanup); 0..10 min, default 5 s.
     *
     * @param timeout how long to wait at most
     * @return this builder
     */
    public Builder listenerShutdownTimeout(Duration timeout) {
      this.listenerShutdownTimeout = timeout;
      return this;
    }

    /**
     * Whether {@link VrrpRouter#start()}, once the instances run, plays one takeover on a simulated
     * LAN (default true, skipped on a {@link SimulatedPlatform}), so that the first real takeover
     * runs warm code.
     *
     * @param enabled whether to rehearse
     * @return this builder
     */
    public Builder rehearse(boolean enabled) {
      this.rehearse = enabled;
      return this;
    }

    /**
     * Adds an instance.
     *
     * @param config the instance's configuration
     * @return this builder
     */
    public Builder instance(VrrpInstanceConfig config) {
      instances.add(Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Adds a sync group of the named instances (keepalived's {@code vrrp_sync_group}).
     *
     * @param name the instance's or group's name
     * @param members the names of its instances
     * @return this builder
     */
    public Builder syncGroup(String name, String... members) {
      groups.put(name, List.of(members));
      return this;
    }

    /**
     * Validates the set of instances and groups and builds the router (not yet started). When
     * validation fails, a platform given with {@link #ownedPlatform} is closed.
     *
     * @return this object
     */
    public VrrpRouter build() {
      try {
        return validatedRouter();
      } catch (RuntimeException e) {
        new PlatformOwnership(platform, ownsPlatform).closeAfterRefusedBuild(e);
        throw e;
      }
    }

    /** Names are unique, and one instance per VRID, version and family on an interface. */
    static void checkInstances(List<VrrpInstanceConfig> instances) {
      List<String> names = new ArrayList<>();
      Map<String, String> owners = new LinkedHashMap<>();
      Map<String, String> virtualMacOwners = new LinkedHashMap<>();
      for (VrrpInstanceConfig c : instances) {
        if (names.contains(c.name())) {
          throw new InvalidConfigurationException("instance", "duplicate name " + c.name());
        }
        names.add(c.name());
        if (c.virtualMac()) {
          String vmac = c.virtualMacName();
          String other = virtualMacOwners.put(vmac, c.name());
          if (other != null) {
            throw new InvalidConfigurationException(
                "instance",
                c.name() + " and " + other + " would both create virtual MAC interface " + vmac);
          }
        }
        // One socket per interface and family hands each VRID to one instance.
        String key = c.iface() + " " + c.wire().family() + " v" + c.version() + " " + c.vrid();
        String earlier = owners.put(key, c.name());
        if (earlier != null) {
          throw new InvalidConfigurationException(
              "instance",
              c.name()
                  + " and "
                  + earlier
                  + " both use VRRPv"
                  + c.version()
                  + " VRID "
                  + c.vrid()
                  + " over "
                  + c.wire().family()
                  + " on "
                  + c.iface());
        }
      }
    }

    /** Every group has two or more existing members, and no instance is in two groups. */
    static void checkGroups(Map<String, List<String>> groups, List<VrrpInstanceConfig> instances) {
      List<String> names = new ArrayList<>();
      instances.forEach(c -> names.add(c.name()));
      Map<String, String> groupOf = new LinkedHashMap<>();
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
    }

    private VrrpRouter validatedRouter() {
      InvalidConfigurationException.requirePresent("platform", platform);
      InvalidConfigurationException.requireListenerShutdownTimeout(listenerShutdownTimeout);
      if (instances.isEmpty()) {
        throw new InvalidConfigurationException("instance", "at least one is required");
      }
      checkInstances(instances);
      checkGroups(groups, instances);
      return new VrrpRouter(this);
    }
  }
}
