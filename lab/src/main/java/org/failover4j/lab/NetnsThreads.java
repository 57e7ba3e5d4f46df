package org.failover4j.lab;

import com.sun.jna.Native;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that live inside a network namespace, so that in-process Java code (sockets, netlink) can
 * act as a lab host. setns(2) moves only the calling thread, so each executor owns one dedicated
 * thread that joins the namespace before running anything and never leaves it.
 */
final class NetnsThreads {

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;
  private static final AtomicInteger COUNTER = new AtomicInteger();

  static {
    Native.register(NetnsThreads.class, "c");
  }

  private NetnsThreads() {}

  private static native int open(String path, int flags);

  private static native int setns(int fd, int nstype);

  private static native int close(int fd);

  /** A single-thread executor whose thread is inside {@code namespace}. */
  static ExecutorService executor(String namespace) {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread t =
              new Thread(
                  () -> {
                    enter(namespace);
                    task.run();
                  },
                  "netns-" + namespace + "-" + COUNTER.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Moves the calling thread into {@code namespace}. */
  static void enter(String namespace) {
    String path = "/run/netns/" + namespace;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw new LabException("open " + path + ": errno " + Native.getLastError());
    }
    try {
      if (setns(fd, CLONE_NEWNET) != 0) {
        throw new LabException("setns " + path + ": errno " + Native.getLastError());
      }
    } finally {
      close(fd);
    }
  }
}
