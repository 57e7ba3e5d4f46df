package org.failover4j.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleObservable;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a {@link VrrpRouter} with the application context: it starts in the last lifecycle phase
 * (after the web server, once every bean is ready) and stops in the first, leaving gracefully
 * (priority 0 from every master, addresses removed) and waiting until the listeners have seen each
 * instance stop, so the context closes only after the handover.
 *
 * <p>For each instance and sync group one listener, on a failover4j listener thread, first starts
 * or stops the {@link MasterOnly} beans of that source and then publishes a {@link
 * RoleChangedEvent}.
 */
public class VrrpRouterLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(VrrpRouterLifecycle.class);

  private final VrrpRouter router;
  private final List<String> syncGroups;
  private final ApplicationEventPublisher events;
  private final ListableBeanFactory beans;
  private final Duration shutdownTimeout;
  private MasterOnlyBeans masterOnly;
  private volatile CountDownLatch stopped;
  private volatile boolean running;

  /**
   * A lifecycle for {@code router}.
   *
   * @param router the router to run
   * @param syncGroups the router's sync groups whose roles are published too
   * @param events where role changes are published
   * @param beans where {@link MasterOnly} beans are found
   * @param shutdownTimeout how long {@link #stop(Runnable)} waits for the handover and listeners
   */
  public VrrpRouterLifecycle(
      VrrpRouter router,
      List<String> syncGroups,
      ApplicationEventPublisher events,
      ListableBeanFactory beans,
      Duration shutdownTimeout) {
    this.router = router;
    this.syncGroups = List.copyOf(syncGroups);
    this.events = events;
    this.beans = beans;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public void start() {
    masterOnly = MasterOnlyBeans.find(beans, ownSources());
    List<RoleObservable> sources = new ArrayList<>();
    for (VrrpInstance instance : router.instances()) {
      follow(instance.name(), instance, RoleChangedEvent.Kind.INSTANCE);
      sources.add(instance);
    }
    for (String group : syncGroups) {
      follow(group, router.syncGroup(group), RoleChangedEvent.Kind.SYNC_GROUP);
      sources.add(router.syncGroup(group));
    }
    stopped = new CountDownLatch(sources.size());
    try {
      router.start();
    } catch (IOException e) {
      throw new IllegalStateException("failover4j: the VRRP router did not start: " + e, e);
    }
    running = true;
  }

  private List<String> ownSources() {
    List<String> names = new ArrayList<>();
    router.instances().forEach(i -> names.add(i.name()));
    names.addAll(syncGroups);
    return names;
  }

  private void follow(String name, RoleObservable source, RoleChangedEvent.Kind kind) {
    source.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent change) {
            if (change.epoch() == 0) {
              return;
            }
            masterOnly.switchFor(name, change.to());
            events.publishEvent(new RoleChangedEvent(router, kind, change));
            if (change.to() == Role.STOPPED && stopped != null) {
              stopped.countDown();
            }
          }
        });
  }

  @Override
  public void stop() {
    router.close();
    awaitListeners();
    running = false;
  }

  private void awaitListeners() {
    CountDownLatch latch = stopped;
    try {
      if (latch != null && !latch.await(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("failover4j: listeners still busy after {}", shutdownTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The last phase: started after the web server and everything else, stopped before them. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
