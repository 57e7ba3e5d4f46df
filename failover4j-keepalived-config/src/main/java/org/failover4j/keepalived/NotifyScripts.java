package org.failover4j.keepalived;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  NotifyScripts(
      VrrpRouter router,
      Map<String, KeepalivedConfig.Notify> instances,
      Map<String, KeepalivedConfig.Notify> groups) {
    // One serial executor for every source keeps the router's order across instances and groups.
    for (VrrpInstance instance : router.instances()) {
      KeepalivedConfig.Notify notify = instances.getOrDefault(instance.name(), NONE);
      instance.addListener(
          e -> {
            if (e.from() != e.to()) {
              run(notify, "INSTANCE", e, instance.effectivePriority());
              if (e.to() == Role.STOPPED) {
                stoppedInstances.add(e.source());
                runGroupStops();
              }
            }
          },
          runner);
    }
    groups.forEach(
        (name, notify) -> {
          List<String> members = router.syncGroup(name).members();
          router
              .syncGroup(name)
              .addListener(
                  e -> {
                    if (e.from() == e.to()) {
                      return;
                    }
                    if (e.to() == Role.STOPPED) {
                      // keepalived stops every instance before it stops the groups.
                      pendingGroupStops.put(name, () -> run(notify, "GROUP", e, 0));
                      groupMembers.put(name, members);
                      runGroupStops();
                    } else {
                      run(notify, "GROUP", e, 0);
                    }
                  },
                  runner);
        });
  }

  private static final KeepalivedConfig.Notify NONE =
      new KeepalivedConfig.Notify(null, null, null, null, null);

  /** On the runner: instances whose stop was handled, and group stops waiting for them. */
  private final java.util.Set<String> stoppedInstances = new java.util.HashSet<>();

  private final Map<String, Runnable> pendingGroupStops = new java.util.LinkedHashMap<>();
  private final Map<String, List<String>> groupMembers = new java.util.HashMap<>();

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
