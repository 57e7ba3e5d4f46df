package org.failover4j.keepalived;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a configuration's notify scripts on its router's transitions, as keepalived runs them: on
 * each transition of an instance or sync group, first its {@code notify_master}, {@code
 * notify_backup}, {@code notify_fault} or {@code notify_stop} script with its own arguments, then
 * its {@code notify} script with {@code INSTANCE|GROUP NAME MASTER|BACKUP|FAULT|STOP PRIORITY}
 * appended (a group's priority is 0). Transitions are handled one at a time in the order the router
 * made them, and each script is waited for (at most {@link #SCRIPT_WAIT}) before the next starts,
 * so that scripts that append to one file do so in event order. Close it after the router, so that
 * the stop scripts run.
 */
public final class NotifyScripts implements AutoCloseable {

  /** How long a notify script may run before the next one starts anyway (it is not killed). */
  public static final Duration SCRIPT_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(NotifyScripts.class);

  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "keepalived-notify");
            t.setDaemon(true);
            return t;
          });

  /** On the runner: sources that have not yet left INITIALIZE while the first batch is held. */
  private final Set<String> awaitingFirst = new HashSet<>();

  /** On the runner: the held first transitions, by source. */
  private final Map<String, Runnable> firstTransitions = new HashMap<>();

  /** keepalived's order for the first transitions: every group, then every instance. */
  private final List<String> startOrder = new ArrayList<>();

  private boolean holdingFirst = true;

  /** On the runner: instances whose stop was handled, and group stops waiting for them. */
  private final Set<String> stoppedInstances = new HashSet<>();

  private final Map<String, Runnable> pendingGroupStops = new LinkedHashMap<>();
  private final Map<String, List<String>> groupMembers = new HashMap<>();

  NotifyScripts(
      VrrpRouter router,
      Map<String, KeepalivedConfig.Notify> instances,
      Map<String, List<String>> syncGroups,
      Map<String, KeepalivedConfig.Notify> groups) {
    startOrder.addAll(syncGroups.keySet());
    router.instances().forEach(i -> startOrder.add(i.name()));
    awaitingFirst.addAll(startOrder);
    groupMembers.putAll(syncGroups);
    // Each listener runs on the router's loop (a direct executor) only to queue its event on the
    // one runner thread: that keeps the router's order across instances and groups, which
    // per-listener executors would not, and never blocks the loop on a script.
    for (VrrpInstance instance : router.instances()) {
      KeepalivedConfig.Notify notify = instances.getOrDefault(instance.name(), NONE);
      instance.addListener(
          e -> {
            if (e.from() == e.to()) {
              return;
            }
            int priority = instance.effectivePriority();
            Runnable scripts = () -> run(notify, "INSTANCE", e, priority);
            runner.execute(
                () ->
                    handle(
                        e,
                        () -> {
                          scripts.run();
                          if (e.to() == Role.STOPPED) {
                            stoppedInstances.add(e.source());
                            runGroupStops();
                          }
                        }));
          },
          Runnable::run);
    }
    for (String name : syncGroups.keySet()) {
      KeepalivedConfig.Notify notify = groups.getOrDefault(name, NONE);
      router
          .syncGroup(name)
          .addListener(
              e -> {
                if (e.from() == e.to()) {
                  return;
                }
                Runnable scripts = () -> run(notify, "GROUP", e, 0);
                if (e.to() == Role.STOPPED) {
                  // keepalived stops every instance before it stops the groups.
                  runner.execute(
                      () ->
                          handle(
                              e,
                              () -> {
                                pendingGroupStops.put(name, scripts);
                                runGroupStops();
                              }));
                } else {
                  runner.execute(() -> handle(e, scripts));
                }
              },
              Runnable::run);
    }
  }

  /**
   * Runs {@code scripts} for {@code e}, except that the first transitions (out of INITIALIZE) are
   * held until every source has made its own, and then run in keepalived's start order: the groups,
   * then the instances, each in configuration order.
   */
  private void handle(RoleChangeEvent e, Runnable scripts) {
    if (holdingFirst && e.from() == Role.INITIALIZE && awaitingFirst.remove(e.source())) {
      firstTransitions.put(e.source(), scripts);
      if (awaitingFirst.isEmpty()) {
        releaseFirst();
      }
      return;
    }
    releaseFirst();
    scripts.run();
  }

  private void releaseFirst() {
    if (!holdingFirst) {
      return;
    }
    holdingFirst = false;
    for (String source : startOrder) {
      Runnable scripts = firstTransitions.remove(source);
      if (scripts != null) {
        scripts.run();
      }
    }
  }

  private static final KeepalivedConfig.Notify NONE =
      new KeepalivedConfig.Notify(null, null, null, null, null);

  private void runGroupStops() {
    var it = pendingGroupStops.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      if (stoppedInstances.containsAll(groupMembers.get(entry.getKey()))) {
        it.remove();
        entry.getValue().run();
      }
    }
  }

  private void run(KeepalivedConfig.Notify notify, String type, RoleChangeEvent e, int priority) {
    String state = stateWord(e.to());
    if (state == null) {
      return;
    }
    ScriptCommand specific =
        switch (e.to()) {
          case MASTER -> notify.master();
          case BACKUP -> notify.backup();
          case FAULT -> notify.fault();
          default -> notify.stop();
        };
    if (specific != null) {
      runAndWait(specific, List.of());
    }
    if (notify.generic() != null) {
      List<String> args = new ArrayList<>(List.of(type, e.source(), state));
      args.add(Integer.toString(priority));
      runAndWait(notify.generic(), args);
    }
  }

  /** keepalived's state words; null for a state it notifies nothing about. */
  static String stateWord(Role role) {
    return switch (role) {
      case MASTER -> "MASTER";
      case BACKUP -> "BACKUP";
      case FAULT -> "FAULT";
      case STOPPED -> "STOP";
      default -> null;
    };
  }

  private static void runAndWait(ScriptCommand script, List<String> args) {
    try {
      Process process = script.process(args).start();
      if (!process.waitFor(SCRIPT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("notify script {} still running after {}", script, SCRIPT_WAIT);
      }
    } catch (IOException e) {
      log.warn("notify script {} did not start: {}", script, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits, bounded, for the scripts of transitions already made (the stop scripts included, when
   * the router is closed), then stops.
   */
  @Override
  public void close() {
    runner.execute(
        () -> {
          releaseFirst();
          pendingGroupStops.values().forEach(Runnable::run);
          pendingGroupStops.clear();
        });
    runner.shutdown();
    try {
      if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
        runner.shutdownNow();
      }
    } catch (InterruptedException e) {
      runner.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
