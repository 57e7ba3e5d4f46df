package org.failover4j.api;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a piece of work on an event loop and waits for its result: how a runtime's public,
 * thread-safe methods hand their work to the loop that owns all state. On the loop's own thread the
 * work runs inline. An exception thrown on the loop comes back of the same type with the caller's
 * stack and the loop's exception as its cause, so a stack trace shows both where the call came from
 * and where it failed; a type that cannot be copied so comes back itself, with the caller's stack
 * attached as a suppressed {@link CalledFrom}.
 */
public final class LoopCall {

  /** Work that may throw an {@link IOException}. */
  @FunctionalInterface
  public interface Task<T> {
    /**
     * Does the work, on the loop.
     *
     * @return the work's result
     * @throws IOException when the work fails
     */
    T call() throws IOException;
  }

  private LoopCall() {}

  /**
   * Runs {@code task} on {@code loop} and returns its result.
   *
   * @param <T> the result's type
   * @param loop the loop to run on; the task runs here when this is its thread
   * @param task the work
   * @return the task's result
   * @throws IllegalStateException when the loop is closed and refuses work
   * @throws IOException what the task threw, or when the wait was interrupted
   */
  public static <T> T call(EventLoop loop, Task<T> task) throws IOException {
    return call(loop, task, true);
  }

  /**
   * As {@link #call}, but waits on through interrupts (and sets the thread's interrupt flag again
   * afterwards): for work that must finish once asked for, such as a graceful close that removes
   * the virtual addresses and sends priority 0.
   *
   * @param <T> the result's type
   * @param loop the loop to run on; the task runs here when this is its thread
   * @param task the work
   * @return the task's result
   * @throws IllegalStateException when the loop is closed and refuses work
   * @throws IOException what the task threw
   */
  public static <T> T callUninterruptibly(EventLoop loop, Task<T> task) throws IOException {
    return call(loop, task, false);
  }

  private static <T> T call(EventLoop loop, Task<T> task, boolean interruptible)
      throws IOException {
    if (loop.inEventLoop()) {
      return task.call();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            try {
              result.complete(task.call());
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the event loop is closed", e);
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          if (interruptible) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the event loop", e);
          }
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw withCallerStack(io);
      }
      if (cause instanceof RuntimeException re) {
        throw withCallerStack(re);
      }
      throw new IOException(cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A copy of {@code original} of the same type whose stack is this thread's and whose cause is the
   * original, when the type has a {@code (String, Throwable)} constructor; otherwise the original,
   * with this thread's stack added as a suppressed {@link CalledFrom}.
   */
  static <T extends Throwable> T withCallerStack(T original) {
    try {
      Constructor<? extends Throwable> constructor =
          original.getClass().getConstructor(String.class, Throwable.class);
      @SuppressWarnings("unchecked")
      T copy = (T) constructor.newInstance(original.getMessage(), original);
      return copy;
    } catch (ReflectiveOperationException | RuntimeException e) {
      original.addSuppressed(new CalledFrom());
      return original;
    }
  }

  /** Where a call that failed on the event loop was made from. */
  public static final class CalledFrom extends Exception {
    private static final long serialVersionUID = 1L;

    CalledFrom() {
      super("called from here");
    }
  }
}
