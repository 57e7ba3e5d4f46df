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
 * appended (a group's priority is 0).
 *
 * <p>As keepalived's notify_exec() forks them, the scripts are started in the order the router made
 * its transitions, one after the other, and never waited for: a slow script holds back neither the
 * next script nor the next transition, and may still run when they do (so scripts that must see
 * events in order take them from their arguments, not from the order they finish in). On {@link
 * #close()}, as keepalived's shutdown does, the stop scripts get {@link #STOP_SCRIPT_WAIT} to end
 * before they and everything they started are killed (SIGKILL), and the other scripts still running
 * get SIGTERM, as keepalived's scripts do from {@code PR_SET_PDEATHSIG} when it exits. Close it
 * after the router, so that the stop scripts run.
 */
public final class NotifyScripts implements AutoCloseable {

  /**
   * How long {@link #close()} waits for the stop scripts before killing them and what they started:
   * keepalived's child_killed_thread() timer, one second.
   */
  public static final Duration STOP_SCRIPT_WAIT = Duration.ofSeconds(1);

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

  /** On the runner: scripts started that may still run; the stop scripts apart. */
  private final List<Process> running = new ArrayList<>();

  private final List<Process> stopScripts = new ArrayList<>();

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
    boolean stop = e.to() == Role.STOPPED;
    if (specific != null) {
      start(specific, List.of(), stop);
    }
    if (notify.generic() != null) {
      List<String> args = new ArrayList<>(List.of(type, e.source(), state));
      args.add(Integer.toString(priority));
      start(notify.generic(), args, stop);
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

  /** Starts {@code script} and returns at once; a stop script is kept for {@link #close()}. */
  private void start(ScriptCommand script, List<String> args, boolean stop) {
    running.removeIf(p -> !p.isAlive());
    try {
      Process process = script.process(args).start();
      (stop ? stopScripts : running).add(process);
    } catch (IOException e) {
      log.warn("notify script {} did not start: {}", script, e.getMessage());
    }
  }

  /**
   * Starts the scripts of transitions already made (the stop scripts included, when the router is
   * closed), gives the stop scripts {@link #STOP_SCRIPT_WAIT} before killing them and their
   * children, sends SIGTERM to the other scripts still running, and stops.
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
      long deadline = System.nanoTime() + STOP_SCRIPT_WAIT.toNanos();
      for (Process p : stopScripts) {
        long left = deadline - System.nanoTime();
        if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          log.warn(
              "notify stop script pid {} still running after {}: killed",
              p.pid(),
              STOP_SCRIPT_WAIT);
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      runner.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (Process p : running) {
      if (p.isAlive()) {
        p.destroy();
      }
    }
  }
}
