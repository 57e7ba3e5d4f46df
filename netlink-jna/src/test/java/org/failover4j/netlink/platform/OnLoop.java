package org.failover4j.netlink.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a piece of a test on a platform's event loop and waits for its result. */
final class OnLoop {

  /** A call that may throw, run on the loop. */
  interface LoopCall<T> {
    T call() throws Exception;
  }

  private OnLoop() {}

  /** Runs {@code task} on {@code platform}'s loop; its result, or what it threw, within 10 s. */
  static <T> T call(NetlinkPlatform platform, LoopCall<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    platform
        .eventLoop()
        .execute(
            () -> {
              try {
                result.complete(task.call());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    return result.get(10, TimeUnit.SECONDS);
  }
}
