package org.failover4j.benchmarks;

import com.sun.jna.Native;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A throw-away network namespace for benchmarks that change addresses or send packets, so that they
 * never touch the machine's own interfaces. Needs root. Sockets opened through {@link #call} belong
 * to the namespace. Named {@code f4jbench-<pid>-<label>}; {@link #close()} (also run by a shutdown
 * hook) deletes it.
 */
final class BenchNamespace implements AutoCloseable {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;

  static {
    Native.register(BenchNamespace.class, "c");
  }

  private final String name;
  private final ExecutorService inside;
  private final Thread cleanup;

  private BenchNamespace(String name) {
    this.name = name;
    this.inside =
        Executors.newSingleThreadExecutor(
            task ->
                new Thread(
                    () -> {
                      enter(name);
                      task.run();
                    },
                    "netns-" + name));
    this.cleanup = new Thread(this::delete, "delete-" + name);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  private static native int open(String path, int flags);

  private static native int setns(int fd, int nstype);

  private static native int close(int fd);

  /** Creates the namespace with loopback up. */
  static BenchNamespace create(String label) throws IOException, InterruptedException {
    String name = "f4jbench-" + ProcessHandle.current().pid() + "-" + label;
    run("ip", "netns", "add", name);
    BenchNamespace ns = new BenchNamespace(name);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** Runs {@code ip <args>} inside the namespace ({@code ip -n}); throws unless it succeeds. */
  void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "-n", name));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  /** The namespace's name, for {@code ip -n}. */
  String name() {
    return name;
  }

  /** Runs {@code task} on a thread inside the namespace. */
  <T> T call(Callable<T> task) throws Exception {
    try {
      return inside.submit(task).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public void close() {
    inside.shutdownNow();
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void delete() {
    try {
      new ProcessBuilder("ip", "netns", "delete", name).inheritIO().start().waitFor();
    } catch (IOException | InterruptedException e) {
      System.err.println("could not delete namespace " + name + ": " + e);
    }
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + new String(output));
    }
  }

  private static void enter(String name) {
    int fd = open("/run/netns/" + name, O_RDONLY);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
      throw new IllegalStateException(
          "cannot enter namespace " + name + ": errno " + Native.getLastError());
    }
    close(fd);
  }
}
