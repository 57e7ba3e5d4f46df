package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RoleSource;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What {@code failover4j vrrp} and {@code failover4j carp} share: run one election group until
 * SIGTERM / SIGINT opens the latch, print each role change, print the counters on SIGUSR1 and once
 * more at the end.
 */
final class Serving {

  private static final Signal USR1 = new Signal("USR1");

  private Serving() {}

  /**
   * What a serving command's line asked for.
   *
   * @param config the instance's or host's configuration
   * @param json whether to print JSON
   * @param metrics where {@code --metrics} asks to serve the meters, if anywhere
   */
  record Request<C>(C config, boolean json, Optional<InetSocketAddress> metrics) {}

  /** Reads a configuration from a parsed command line. */
  interface ConfigReader<C> {
    C read(CommandLine line) throws UsageException;
  }

  /**
   * Reads {@code line} into a request, checking that the interface {@code iface} names exists.
   *
   * @throws UsageException naming the flag that is wrong
   */
  static <C> Request<C> read(CommandLine line, ConfigReader<C> reader, Function<C, String> iface)
      throws UsageException, java.net.SocketException {
    Optional<InetSocketAddress> metrics = MetricsEndpoint.address(line);
    C config = reader.read(line);
    String name = iface.apply(config);
    if (java.net.NetworkInterface.getByName(name) == null) {
      throw new UsageException("--interface names no interface: " + name);
    }
    return new Request<>(config, line.has("--json"), metrics);
  }

  /**
   * Installs the SIGTERM and SIGINT handlers that open the returned latch, and ignores SIGUSR1
   * until {@link #serve} prints counters on it (its default action would kill the process).
   */
  static CountDownLatch stopOnSignals() {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Signal.handle(USR1, s -> {});
    return stop;
  }

  /**
   * Starts {@code source} (a router, a CARP host) and runs it until {@code stop} opens, then closes
   * it gracefully. Prints each role change of {@code roles} as {@code format} gives it, and {@code
   * counters} on SIGUSR1 and once more at the end.
   *
   * @return 0, or 1 when it did not start
   */
  static int serve(
      String command,
      RoleObservable roles,
      RoleSource source,
      Function<RoleChangeEvent, String> format,
      Runnable counters,
      CountDownLatch stop,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    return serve(command, List.of(roles), source, format, counters, stop, out, err);
  }

  /**
   * As {@link #serve(String, RoleObservable, RoleSource, Function, Runnable, CountDownLatch,
   * PrintStream, PrintStream)} for several groups at once (the instances of one router).
   */
  static int serve(
      String command,
      List<? extends RoleObservable> roles,
      RoleSource source,
      Function<RoleChangeEvent, String> format,
      Runnable counters,
      CountDownLatch stop,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    // Runs on the JVM's signal thread: the counters are thread-safe snapshots.
    SignalHandler previous = Signal.handle(USR1, s -> counters.run());
    try {
      return runUntilStopped(command, roles, source, format, stop, out, err);
    } finally {
      counters.run();
      Signal.handle(USR1, previous);
    }
  }

  private static int runUntilStopped(
      String command,
      List<? extends RoleObservable> roles,
      RoleSource source,
      Function<RoleChangeEvent, String> format,
      CountDownLatch stop,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    CountDownLatch printedStop = new CountDownLatch(roles.size());
    // Printed on a listener thread, never the loop: a stalled stdout must not stall adverts.
    RoleListener printer =
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent e) {
            if (e.from() != e.to()) {
              synchronized (out) {
                out.println(format.apply(e));
                out.flush();
              }
            }
            if (e.to() == Role.STOPPED) {
              printedStop.countDown();
            }
          }
        };
    roles.forEach(r -> r.addListener(printer));
    try {
      source.start();
    } catch (IOException | RuntimeException e) {
      err.println("failover4j " + command + ": " + e.getMessage());
      source.close();
      // Wait for the stop line only when there will be one.
      boolean stopped = roles.stream().allMatch(r -> r.role() == Role.STOPPED);
      printedStop.await(stopped ? 5 : 0, TimeUnit.SECONDS);
      return 1;
    }
    stop.await();
    source.close();
    printedStop.await(5, TimeUnit.SECONDS);
    return 0;
  }
}
